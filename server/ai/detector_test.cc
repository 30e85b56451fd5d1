// SPDX-License-Identifier: AGPL-3.0-or-later
// The detector against ai/make_test_model.py's network, whose outputs are known: decoding
// (DFL, anchors, strides), thresholds, NMS, letterbox mapping and class mapping, exactly;
// and models that are missing, corrupt or the wrong shape.
#include "ai/detector.h"

#include <gtest/gtest.h>
#include <vips/vips.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

namespace cleanai {
namespace {

const std::vector<std::string> kTypes = {"plastic", "paper", "metal", "glass", "organic", "other"};

double Sigmoid(double x) { return 1 / (1 + std::exp(-x)); }

class DetectorTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ASSERT_EQ(VIPS_INIT("detector_test"), 0);
    dir_ = std::filesystem::temp_directory_path() / ("cleanai-ai-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    model_ = (dir_ / "test.onnx").string();
    const std::string cmd =
        "/usr/bin/python3 " + std::string(CLEANAI_SOURCE_DIR) + "/ai/make_test_model.py " + model_;
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "needs python3-onnx (make setup-test)";
    std::ofstream(dir_ / "test.mapping") << "# test classes\nbottle = plastic\ncan = metal\n"
                                            "glass = glass   # jars too\n";
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }

  static std::unique_ptr<Detector> Load(DetectorOptions o = {}) {
    auto files = ReadModelFiles(model_, kTypes);
    EXPECT_TRUE(files) << files.error().message();
    auto d = Detector::Load(model_, *files, o);
    EXPECT_TRUE(d) << d.error().message();
    return d ? std::move(*d) : nullptr;
  }
  static cv::Mat Grey(int w, int h) { return cv::Mat(h, w, CV_8UC3, cv::Scalar(114, 114, 114)); }

  static inline std::filesystem::path dir_;
  static inline std::string model_;
};

// Expects a box in 640-pixel network coordinates on a 640×640 picture.
void ExpectBox(const Detection& d, const std::string& cls, double conf, double x1, double y1,
               double x2, double y2, double size = 640) {
  EXPECT_EQ(d.class_name, cls);
  EXPECT_NEAR(d.confidence, conf, 1e-6);
  EXPECT_NEAR(d.x * size, x1, 1e-3);
  EXPECT_NEAR(d.y * size, y1, 1e-3);
  EXPECT_NEAR((d.x + d.w) * size, x2, 1e-3);
  EXPECT_NEAR((d.y + d.h) * size, y2, 1e-3);
}

TEST_F(DetectorTest, DecodesKnownBoxesAndSuppressesTheOverlappingOne) {
  auto det = Load();
  ASSERT_TRUE(det);
  auto found = det->DetectRgb(Grey(640, 640));
  ASSERT_TRUE(found) << found.error().message();
  ASSERT_EQ(found->size(), 3u);
  // Best first: bottle at stride 8 (cell 10,20: l,t,r,b = 2,3,4,1 bins × 8).
  ExpectBox((*found)[0], "bottle", Sigmoid(3), 68, 140, 116, 172);
  EXPECT_EQ((*found)[0].waste_type, "plastic");
  // The stride-16 bottle around it overlaps by IoU 0.375 < 0.45: kept. Its neighbour at
  // cell 11,20 (IoU 0.71) is suppressed; paper at 0.12 is under the threshold.
  ExpectBox((*found)[1], "bottle", Sigmoid(1), 56, 136, 120, 200);
  ExpectBox((*found)[2], "can", 0.5, 464, 144, 528, 208);
  EXPECT_EQ((*found)[2].waste_type, "metal");
}

TEST_F(DetectorTest, ThresholdsDecideWhatIsKept) {
  auto strict = Load({.confidence = 0.8, .iou = 0.45});
  auto found = strict->DetectRgb(Grey(640, 640));
  ASSERT_EQ(found->size(), 1u);
  EXPECT_NEAR((*found)[0].confidence, Sigmoid(3), 1e-6);

  auto loose = Load({.confidence = 0.1, .iou = 0.75});
  found = loose->DetectRgb(Grey(640, 640));
  ASSERT_EQ(found->size(), 5u);  // the neighbour (IoU 0.71 < 0.75) and the paper too
  ExpectBox((*found)[1], "bottle", Sigmoid(2), 76, 140, 124, 172);
  ExpectBox((*found)[4], "paper", Sigmoid(-2), 48, 528, 112, 592);  // cell 2,17 of stride 32
  EXPECT_EQ((*found)[4].waste_type, "");                            // paper is not mapped

  auto tight = Load({.confidence = 0.25, .iou = 0.3});
  found = tight->DetectRgb(Grey(640, 640));
  ASSERT_EQ(found->size(), 2u);  // the stride-16 bottle (IoU 0.375) goes too
}

TEST_F(DetectorTest, ThePictureReachesTheNetworkThroughTheLetterbox) {
  auto det = Load();
  // A red block on stride-32 cell (3, 4) of a 1280×1280 photo (scaled by 0.5, no border):
  // the glass channel reads red − green there.
  cv::Mat photo = Grey(1280, 1280);
  photo(cv::Rect(3 * 64, 4 * 64, 64, 64)).setTo(cv::Scalar(255, 0, 0));  // RGB red
  auto found = det->DetectRgb(photo);
  ASSERT_TRUE(found);
  ASSERT_EQ(found->size(), 4u);
  ExpectBox((*found)[0], "glass", Sigmoid(12), 96, 128, 128, 160);
  EXPECT_EQ((*found)[0].waste_type, "glass");

  // A portrait 320×640 picture sits between grey borders 160 wide: the can at network
  // x 464..528 is at picture x 304..368, clipped to its right edge; the bottles fall in
  // the border and are dropped.
  found = det->DetectRgb(Grey(320, 640));
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].class_name, "can");
  EXPECT_NEAR((*found)[0].x, 304.0 / 320, 1e-6);
  EXPECT_NEAR((*found)[0].w, 16.0 / 320, 1e-6);
  EXPECT_NEAR((*found)[0].y, 144.0 / 640, 1e-6);
  EXPECT_NEAR((*found)[0].h, 64.0 / 640, 1e-6);
}

TEST_F(DetectorTest, PhotosAreDecodedFromTheirBytes) {
  auto det = Load();
  cv::Mat bgr(1280, 1280, CV_8UC3, cv::Scalar(114, 114, 114));
  bgr(cv::Rect(3 * 64, 4 * 64, 64, 64)).setTo(cv::Scalar(0, 0, 255));  // BGR red
  std::vector<uchar> png;
  ASSERT_TRUE(cv::imencode(".png", bgr, png));
  auto found =
      det->DetectPhoto(std::string_view(reinterpret_cast<const char*>(png.data()), png.size()));
  ASSERT_TRUE(found) << found.error().message();
  ASSERT_FALSE(found->empty());
  EXPECT_EQ((*found)[0].class_name, "glass");
  EXPECT_GT((*found)[0].confidence, 0.99);
  EXPECT_FALSE(det->DetectPhoto("not a picture at all"));
  std::string truncated(reinterpret_cast<const char*>(png.data()), png.size() / 3);
  EXPECT_FALSE(det->DetectPhoto(truncated));
}

TEST_F(DetectorTest, CoverageIsTheShareOfThePictureUnderBoxes) {
  EXPECT_DOUBLE_EQ(CoveredShare({}), 0);
  Detection a{.x = 0, .y = 0, .w = 0.5, .h = 0.5};
  Detection b{.x = 0.25, .y = 0.25, .w = 0.5, .h = 0.5};  // overlaps a by a quarter of each
  EXPECT_NEAR(CoveredShare({a}), 0.25, 1e-9);
  EXPECT_NEAR(CoveredShare({a, b}), 0.4375, 1e-9);
  EXPECT_NEAR(Iou(a, b), 0.0625 / 0.4375, 1e-12);
}

TEST_F(DetectorTest, MissingCorruptOrWrongShapedModelsAreClearErrors) {
  auto files = ReadModelFiles(model_, kTypes);
  ASSERT_TRUE(files);
  auto missing = Detector::Load((dir_ / "nope.onnx").string(), *files, {});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("cannot run the model"), std::string::npos);
  std::ofstream(dir_ / "corrupt.onnx") << "this is not protobuf";
  EXPECT_FALSE(Detector::Load((dir_ / "corrupt.onnx").string(), *files, {}));
  ModelFiles five = *files;
  five.names.push_back("extra");
  auto wrong = Detector::Load(model_, five, {});
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message().find("[1×68×8400]"), std::string::npos)
      << wrong.error().message();
  EXPECT_NE(wrong.error().message().find("[1×69×8400]"), std::string::npos);

  EXPECT_FALSE(ReadModelFiles((dir_ / "nope.onnx").string(), kTypes));
  std::ofstream(dir_ / "test.mapping") << "bottle = unobtainium\n";
  auto bad_type = ReadModelFiles(model_, kTypes);
  ASSERT_FALSE(bad_type);
  EXPECT_NE(bad_type.error().message().find("line 1"), std::string::npos);
  std::ofstream(dir_ / "test.mapping") << "# ok\nwhale = plastic\n";
  auto bad_class = ReadModelFiles(model_, kTypes);
  ASSERT_FALSE(bad_class);
  EXPECT_NE(bad_class.error().message().find("line 2"), std::string::npos);
  std::ofstream(dir_ / "test.mapping") << "bottle plastic\n";
  EXPECT_FALSE(ReadModelFiles(model_, kTypes));
  std::ofstream(dir_ / "test.mapping") << "bottle = plastic\ncan = metal\nglass = glass\n";
}

TEST_F(DetectorTest, AModelCardGivesTheInputSizeAndAMismatchIsAClearError) {
  const auto card = dir_ / "test.card.json";
  std::ofstream(card) << R"({"name": "run-1", "input_size": 320})";
  auto files = ReadModelFiles(model_, kTypes);
  ASSERT_TRUE(files) << files.error().message();
  EXPECT_EQ(files->input_size, 320);
  // This network was built for 640 only: at 320 it does not run, and the error says so.
  auto wrong = Detector::Load(model_, *files, {});
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message().find("cannot run the model"), std::string::npos);
  EXPECT_NE(wrong.error().message().find("at 320×320"), std::string::npos)
      << wrong.error().message();
  for (const char* bad : {R"({"input_size": 333})", R"({"input_size": 1280})",
                          R"({"input_size": "640"})", "not json", "[640]"}) {
    std::ofstream(card) << bad;
    auto refused = ReadModelFiles(model_, kTypes);
    ASSERT_FALSE(refused) << bad;
    EXPECT_NE(refused.error().message().find("test.card.json"), std::string::npos);
  }
  std::ofstream(card) << R"({"name": "no size"})";
  files = ReadModelFiles(model_, kTypes);
  ASSERT_TRUE(files);
  EXPECT_EQ(files->input_size, 640);
  EXPECT_TRUE(Detector::Load(model_, *files, {}));
  std::filesystem::remove(card);
}

std::vector<float> ReadFloats(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  std::vector<float> v(static_cast<size_t>(in.tellg()) / sizeof(float));
  in.seekg(0);
  in.read(reinterpret_cast<char*>(v.data()),
          static_cast<std::streamsize>(v.size() * sizeof(float)));
  return v;
}

// The largest difference between OpenCV's output for `model` and PyTorch's, from the
// <base>.input.bin / <base>.output.bin the Python side wrote.
double WorstDifference(Detector& det, const std::filesystem::path& base) {
  const auto input = ReadFloats(base.string() + ".input.bin");
  const auto expected = ReadFloats(base.string() + ".output.bin");
  auto out = det.ForwardRaw(input);
  EXPECT_TRUE(out) << out.error().message();
  if (!out || out->size() != expected.size()) return 1e9;
  double worst = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    worst = std::max(worst, std::abs(static_cast<double>((*out)[i]) - expected[i]));
  }
  return worst;
}

int RunPython(const std::string& script, const std::string& args) {
  const std::string cmd = "/usr/bin/python3 " + std::string(CLEANAI_SOURCE_DIR) + "/ai/" + script +
                          " " + args + " > /dev/null 2>&1";
  return std::system(cmd.c_str());
}

// A network with YOLOv8n's structure and size, exported in the raw-head form by
// ai/yolov8.py, loads on OpenCV 4.6 and computes what PyTorch computes.
TEST(YoloV8Export, RawHeadLoadsAndMatchesPyTorch) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("cleanai-v8-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  ASSERT_EQ(RunPython("make_bench_model.py", (dir / "v8n.onnx").string()), 0)
      << "needs python3-torch (make setup-test)";
  auto files = ReadModelFiles((dir / "v8n.onnx").string(), kTypes);
  ASSERT_TRUE(files) << files.error().message();
  EXPECT_EQ(files->names.size(), 80u);
  auto det = Detector::Load((dir / "v8n.onnx").string(), *files, {});
  ASSERT_TRUE(det) << det.error().message();
  EXPECT_LT(WorstDifference(**det, dir / "v8n"), 1e-4);
  std::filesystem::remove_all(dir);
}

// An operator's trained model: a checkpoint laid out as Ultralytics saves one (half
// precision, ultralytics.* classes) exports with Debian's PyTorch alone, keeps its class
// names, and runs on OpenCV as PyTorch runs it.
TEST(YoloV8Export, AnUltralyticsCheckpointExportsWithoutTheUltralyticsPackage) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("cleanai-ul-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  ASSERT_EQ(RunPython("make_ultralytics_checkpoint.py", (dir / "best.pt").string()), 0);
  ASSERT_EQ(RunPython("export_yolov8_raw_head.py",
                      (dir / "best.pt").string() + " " + (dir / "litter.onnx").string()),
            0);
  std::ifstream names(dir / "litter.names");
  std::string first;
  std::getline(names, first);
  EXPECT_EQ(first, "Plastic bottle");
  std::ofstream(dir / "litter.mapping")
      << "Plastic bottle = plastic\nDrink can = metal\nGlass jar = glass\n";
  auto files = ReadModelFiles((dir / "litter.onnx").string(), kTypes);
  ASSERT_TRUE(files) << files.error().message();
  ASSERT_EQ(files->names.size(), 3u);
  auto det = Detector::Load((dir / "litter.onnx").string(), *files, {});
  ASSERT_TRUE(det) << det.error().message();
  EXPECT_LT(WorstDifference(**det, dir / "best"), 1e-4);
  // Not a detection checkpoint: a clear refusal, no ONNX file.
  std::ofstream(dir / "junk.pt") << "not a checkpoint";
  EXPECT_NE(RunPython("export_yolov8_raw_head.py",
                      (dir / "junk.pt").string() + " " + (dir / "junk.onnx").string()),
            0);
  EXPECT_FALSE(std::filesystem::exists(dir / "junk.onnx"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cleanai
