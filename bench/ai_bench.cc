// SPDX-License-Identifier: AGPL-3.0-or-later
// The AI's speed on this machine: a YOLOv8n-sized network (ai/make_bench_model.py) on
// 12-megapixel phone JPEGs, end to end (decode with shrink-on-load, letterbox, forward
// pass, DFL decoding, NMS), per photo and with the worker pool busy; memory; and the
// network's output against PyTorch's on the same input.
//
//   build/release/ai_bench MODEL.onnx [photos=20]
#include <sys/resource.h>
#include <vips/vips.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <opencv2/core.hpp>
#include <string>
#include <thread>
#include <vector>

#include "ai/detector.h"

using namespace cleanai;
using Clock = std::chrono::steady_clock;

namespace {

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

double Quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(std::ceil(q * v.size())) - 1)];
}

long PeakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024;
}

// A 4032×3024 JPEG (12.2 MP, a phone's) with texture, so it compresses like a photo.
std::string PhoneJpeg(int seed) {
  VipsImage *noise = nullptr, *grad = nullptr, *sum = nullptr, *rgb = nullptr, *u8 = nullptr;
  vips_gaussnoise(&noise, 4032, 3024, "mean", 128.0, "sigma", 30.0, "seed", seed, NULL);
  vips_xyz(&grad, 4032, 3024, NULL);
  VipsImage* x = nullptr;
  vips_extract_band(grad, &x, 0, NULL);
  VipsImage* xs = nullptr;
  vips_linear1(x, &xs, 0.02, 0.0, NULL);
  vips_add(noise, xs, &sum, NULL);
  VipsImage* bands[] = {sum, noise, sum};
  vips_bandjoin(bands, &rgb, 3, NULL);
  vips_cast_uchar(rgb, &u8, NULL);
  void* buf = nullptr;
  size_t len = 0;
  vips_jpegsave_buffer(u8, &buf, &len, "Q", 90, NULL);
  std::string out(static_cast<char*>(buf), len);
  g_free(buf);
  for (VipsImage* i : {noise, grad, sum, rgb, u8, x, xs}) g_object_unref(i);
  return out;
}

std::vector<float> ReadFloats(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  std::vector<float> v(static_cast<size_t>(in.tellg()) / sizeof(float));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(v.data()),
          static_cast<std::streamsize>(v.size() * sizeof(float)));
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: ai_bench MODEL.onnx [photos]\n";
    return 2;
  }
  if (VIPS_INIT(argv[0]) != 0) return 1;
  const std::string model = argv[1];
  const int photos = argc > 2 ? std::stoi(argv[2]) : 20;
  const std::vector<std::string> types = {"plastic", "paper", "metal", "glass"};
  auto files = ReadModelFiles(model, types);
  if (!files) {
    std::cerr << files.error().message() << "\n";
    return 1;
  }
  const long rss_before = PeakRssMb();
  auto t0 = Clock::now();
  auto det = Detector::Load(model, *files, {});
  if (!det) {
    std::cerr << det.error().message() << "\n";
    return 1;
  }
  std::printf("model loaded and checked in %.0f ms; peak RSS %ld MB (+%ld MB for one network)\n",
              Ms(Clock::now() - t0), PeakRssMb(), PeakRssMb() - rss_before);

  // Parity with PyTorch on the reference input, when make_bench_model.py left it.
  const std::string base = model.substr(0, model.size() - 5);
  auto input = ReadFloats(base + ".input.bin"), expected = ReadFloats(base + ".output.bin");
  if (!input.empty()) {
    auto out = (*det)->ForwardRaw(input);
    double worst = 0;
    for (size_t i = 0; out && i < out->size() && i < expected.size(); ++i) {
      worst = std::max(worst, std::abs(static_cast<double>((*out)[i]) - expected[i]));
    }
    std::printf("OpenCV vs PyTorch: %zu outputs, max |difference| %.2e\n", expected.size(), worst);
  }

  std::vector<std::string> jpegs;
  for (int i = 0; i < 4; ++i) jpegs.push_back(PhoneJpeg(i + 1));
  std::printf("photos: 4032x3024 JPEG, %.1f MB each\n", jpegs[0].size() / 1e6);

  // One photo at a time, end to end.
  (void)(*det)->DetectPhoto(jpegs[0]);  // warm-up
  std::vector<double> total, forward;
  cv::Mat small(480, 640, CV_8UC3, cv::Scalar(90, 120, 150));
  for (int i = 0; i < photos; ++i) {
    auto s = Clock::now();
    auto r = (*det)->DetectPhoto(jpegs[i % jpegs.size()]);
    total.push_back(Ms(Clock::now() - s));
    if (!r) {
      std::cerr << r.error().message() << "\n";
      return 1;
    }
    s = Clock::now();
    (void)(*det)->DetectRgb(small);
    forward.push_back(Ms(Clock::now() - s));
  }
  std::printf(
      "end to end per photo (decode+letterbox+forward+decode+NMS): p50 %.0f ms, p95 %.0f ms\n",
      Quantile(total, 0.5), Quantile(total, 0.95));
  std::printf(
      "  of which letterbox+forward+decode+NMS (640x480 RGB in): p50 %.0f ms, p95 %.0f ms\n",
      Quantile(forward, 0.5), Quantile(forward, 0.95));

  // Throughput with every worker busy, 1 and 2 workers (each its own network).
  for (int workers : {1, 2}) {
    std::vector<std::unique_ptr<Detector>> pool;
    pool.push_back(std::move(*det));
    for (int w = 1; w < workers; ++w) pool.push_back(std::move(*Detector::Load(model, *files, {})));
    std::atomic<int> next{0};
    auto s = Clock::now();
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w) {
      threads.emplace_back([&, w] {
        for (int i; (i = next++) < photos;) (void)pool[w]->DetectPhoto(jpegs[i % jpegs.size()]);
      });
    }
    for (auto& t : threads) t.join();
    const double secs = Ms(Clock::now() - s) / 1000;
    std::printf("%d worker%s busy: %.2f photos/s; peak RSS %ld MB\n", workers,
                workers == 1 ? "" : "s", photos / secs, PeakRssMb());
    det = std::move(pool[0]);
  }
  return 0;
}
