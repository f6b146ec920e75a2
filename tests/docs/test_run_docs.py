#!/usr/bin/env python3
"""Self-test of run_docs.py: it passes a document whose snippets run and
print what it shows, and fails, naming the document's line, on a wrong
sample output, a failing command and a block that breaks the convention.

    test_run_docs.py            (run_docs.py is found beside this file)
"""

import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
RUN_DOCS = os.path.join(HERE, "run_docs.py")

FAKE_PLANSIM = """#!/bin/sh
# stands for the installed plansim: prints its arguments
echo "plansim $*"
"""


class RunDocsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        root = self.tmp.name
        self.repo = os.path.join(root, "repo")
        os.makedirs(os.path.join(self.repo, "scenarios"))
        os.makedirs(os.path.join(self.repo, "models", "m"))
        with open(os.path.join(self.repo, "scenarios", "plan.yaml"), "w") as f:
            f.write("name: plan\n")
        with open(os.path.join(self.repo, "models", "m", "m.mdl"), "w") as f:
            f.write("x = 1\n")
        self.bin = os.path.join(root, "prefix", "bin")
        os.makedirs(self.bin)
        plansim = os.path.join(self.bin, "plansim")
        with open(plansim, "w") as f:
            f.write(FAKE_PLANSIM)
        os.chmod(plansim, 0o755)
        self.work = os.path.join(root, "work")

    def tearDown(self):
        self.tmp.cleanup()

    def check(self, markdown):
        """Runs run_docs.py on a document; returns (status, output)."""
        doc = os.path.join(self.repo, "doc.md")
        with open(doc, "w", encoding="utf-8") as f:
            f.write(textwrap.dedent(markdown))
        p = subprocess.run(
            [sys.executable, RUN_DOCS, "--repo", self.repo, "--bin", self.bin,
             "--work", self.work, "--python", sys.executable, doc],
            capture_output=True, text=True, timeout=120)
        return p.returncode, p.stdout + p.stderr

    def test_passes_when_everything_matches(self):
        status, out = self.check("""\
            # Doc

            ```sh
            plansim run scenarios/plan.yaml
            cat scenarios/plan.yaml models/m/m.mdl
            echo 数据 > kept.txt
            ```

            <!-- output -->
            ```text
            plansim run scenarios/plan.yaml
            name: plan
            x = 1
            ```

            ```text
            plansim COMMAND     (a synopsis: not run)
            ```

            ```yaml
            runs: 200
            ```

            ```python
            print(open("kept.txt", encoding="utf-8").read(), end="")
            ```

            <!-- output -->
            ```
            数据
            ```

            ```sh
            echo no output shown
            ```
            """)
        self.assertEqual(status, 0, out)
        self.assertIn("1 passed, 0 failed", out)

    def test_fails_on_a_wrong_output(self):
        status, out = self.check("""\
            ```sh
            echo 0.110
            ```

            <!-- output -->
            ```text
            0.479
            ```
            """)
        self.assertEqual(status, 1, out)
        self.assertRegex(out, r"doc\.md:1: the output differs from the one "
                              r"shown at line 6")
        self.assertIn("-0.479", out)
        self.assertIn("+0.110", out)

    def test_fails_on_a_missing_final_newline(self):
        status, out = self.check("""\
            ```sh
            printf 'a'
            ```

            <!-- output -->
            ```text
            a
            ```
            """)
        self.assertEqual(status, 1, out)

    def test_fails_on_a_failing_command(self):
        status, out = self.check("""\
            Text.

            ```sh
            echo first
            false
            echo never
            ```
            """)
        self.assertEqual(status, 1, out)
        self.assertRegex(out, r"doc\.md:3: the ```sh block failed "
                              r"\(exit status 1\)")

    def test_fails_on_a_failing_python_block(self):
        status, out = self.check("""\
            ```python
            import sys
            sys.exit("no such variable")
            ```
            """)
        self.assertEqual(status, 1, out)
        self.assertIn("no such variable", out)

    def test_stops_the_document_at_its_first_failure(self):
        status, out = self.check("""\
            ```sh
            exit 3
            ```

            ```sh
            touch later
            ```
            """)
        self.assertEqual(status, 1, out)
        self.assertIn("exit status 3", out)
        self.assertNotIn("doc.md:5", out)

    def test_refuses_a_fence_with_no_language(self):
        status, out = self.check("""\
            ```
            plansim run scenarios/plan.yaml
            ```
            """)
        self.assertEqual(status, 1, out)
        self.assertIn("doc.md:1: a fence with no language", out)

    def test_refuses_an_output_with_no_command_before_it(self):
        status, out = self.check("""\
            <!-- output -->
            ```text
            0.110
            ```
            """)
        self.assertEqual(status, 1, out)
        self.assertIn("doc.md:2: an output block with no", out)

    def test_refuses_a_marker_not_right_before_a_fence(self):
        status, out = self.check("""\
            ```sh
            echo 1
            ```

            <!-- output -->

            ```text
            2
            ```
            """)
        self.assertEqual(status, 1, out)
        self.assertIn("doc.md:5: <!-- output --> must stand on the line", out)

    def test_refuses_the_old_named_marker(self):
        status, out = self.check("""\
            ```sh
            echo x
            ```

            <!-- output: calibrate -->
            ```text
            x
            ```
            """)
        self.assertEqual(status, 1, out)
        self.assertIn("unknown marker", out)

    def test_update_writes_the_real_output_into_the_document(self):
        doc = os.path.join(self.repo, "doc.md")
        with open(doc, "w", encoding="utf-8") as f:
            f.write("```sh\necho 0.110\necho 完\n```\n\n<!-- output -->\n"
                    "```text\n0.479\n```\n\nAfter.\n")
        p = subprocess.run(
            [sys.executable, RUN_DOCS, "--repo", self.repo, "--bin", self.bin,
             "--work", self.work, "--update", doc],
            capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        with open(doc, encoding="utf-8") as f:
            self.assertEqual(f.read(), "```sh\necho 0.110\necho 完\n```\n\n"
                             "<!-- output -->\n```text\n0.110\n完\n```\n\n"
                             "After.\n")
        status, out = self.check(open(doc, encoding="utf-8").read())
        self.assertEqual(status, 0, out)

    def test_fails_on_yaml_that_does_not_parse(self):
        try:
            import yaml  # noqa: F401
        except ImportError:
            self.skipTest("no YAML library")
        status, out = self.check("""\
            ```yaml
            runs: [200
            ```
            """)
        self.assertEqual(status, 1, out)
        self.assertIn("doc.md:1: the ```yaml block does not parse", out)


if __name__ == "__main__":
    unittest.main()
