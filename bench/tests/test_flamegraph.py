# SPDX-License-Identifier: AGPL-3.0-or-later
"""bench/flamegraph.py: folding `perf script` stacks and drawing them."""
import os
import sys
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import flamegraph  # noqa: E402

# Two samples through Write -> sendmsg (one reaching the kernel), one through malloc;
# perf prints the leaf first.
PERF_SCRIPT = """\
cleanai 101 [000]  10.000001:   10101010 cpu-clock:pppH:
\t     7f01 __libc_sendmsg+0x1b (/usr/lib/x86_64-linux-gnu/libc.so.6)
\t     5501 cleanai::HttpServer::Impl::Write<boost::beast::basic_stream<tcp>>(Stream&, int) const+0x2f (/opt/cleanai)
\t     5500 main+0x10 (/opt/cleanai)

cleanai 101 [000]  10.000002:   10101010 cpu-clock:pppH:
\tffffffff81 tcp_sendmsg+0x2b ([kernel.kallsyms])
\t     7f01 __libc_sendmsg+0x1b (/usr/lib/x86_64-linux-gnu/libc.so.6)
\t     5501 cleanai::HttpServer::Impl::Write<boost::beast::basic_stream<tcp>>(Stream&, int) const+0x2f (/opt/cleanai)
\t     5500 main+0x10 (/opt/cleanai)

cleanai 102 [001]  10.000003:   10101010 cpu-clock:pppH:
\t     7f02 malloc+0x5 (/usr/lib/x86_64-linux-gnu/libmimalloc.so.2)
\t     9999 [unknown] (/usr/lib/x86_64-linux-gnu/libstdc++.so.6.0.30)
\t     5500 main+0x10 (/opt/cleanai)
"""


class FoldTest(unittest.TestCase):
    def test_stacks_are_folded_root_first_without_offsets_or_arguments(self):
        stacks = flamegraph.fold_perf_script(PERF_SCRIPT.splitlines(True))
        write = "cleanai::HttpServer::Impl::Write<boost::beast::basic_stream<tcp>>"
        self.assertEqual(stacks, {
            f"main;{write};__libc_sendmsg": 1,
            f"main;{write};__libc_sendmsg;tcp_sendmsg [k]": 1,
            "main;[libstdc++.so.6.0.30];malloc": 1,
        })

    def test_stacks_can_start_at_a_common_frame(self):
        stacks = flamegraph.fold_perf_script(PERF_SCRIPT.splitlines(True), root_at=r"::Write<")
        write = "cleanai::HttpServer::Impl::Write<boost::beast::basic_stream<tcp>>"
        self.assertEqual(stacks, {
            f"{write};__libc_sendmsg": 1,
            f"{write};__libc_sendmsg;tcp_sendmsg [k]": 1,
            "main;[libstdc++.so.6.0.30];malloc": 1,  # no such frame: kept whole
        })

    def test_layers_follow_the_profile_table(self):
        self.assertEqual(flamegraph.layer_of("tcp_sendmsg [k]")[0], "kernel")
        self.assertEqual(flamegraph.layer_of("malloc")[0], "allocation, copying")
        self.assertEqual(flamegraph.layer_of("sqlite3VdbeExec")[0], "SQL")
        self.assertEqual(flamegraph.layer_of("cleanai::Ranking")[0], "other")


    def test_self_time_lines_are_summed_by_layer(self):
        lines = ["10.5\t[k] finish_task_switch.isra.0\n", "2.5\t[.] mi_free\n",
                 "1.0\t[.] malloc\n", "0.5\t[.] cleanai::Ranking\n"]
        self.assertEqual(flamegraph.layer_table(lines),
                         [("kernel", 10.5), ("allocation, copying", 3.5), ("other", 0.5)])


class RenderTest(unittest.TestCase):
    def test_boxes_are_as_wide_as_their_samples(self):
        stacks = {"main;a;b": 3, "main;c": 1}
        svg = flamegraph.render(flamegraph.build_tree(stacks), "t & <title>", width=420)
        root = ET.fromstring(svg)  # well-formed, the title escaped
        ns = {"s": "http://www.w3.org/2000/svg"}
        widths = {}
        for g in root.findall("s:g", ns):
            name = g.find("s:title", ns).text.split(" (")[0]
            widths[name] = float(g.find("s:rect", ns).get("width"))
        self.assertAlmostEqual(widths["all"], 400.0)
        self.assertAlmostEqual(widths["main"], 400.0)
        self.assertAlmostEqual(widths["a"], 300.0)
        self.assertAlmostEqual(widths["b"], 300.0)
        self.assertAlmostEqual(widths["c"], 100.0)

    def test_the_folded_form_reads_back(self):
        lines = ["main;a 2\n", "main;a 1\n", "main;b 4\n"]
        self.assertEqual(flamegraph.read_folded(lines), {"main;a": 3, "main;b": 4})


if __name__ == "__main__":
    unittest.main()
