"""Where schemata.py wraps a mutant: each case is a Swift fragment, a mutation, and the wrap that must result.

Run with `python3 -m unittest discover -s Tests/Mutation` (CI does). A wrap must cover a whole expression or whole
statements, or the schema would compute something else than the original with no mutant switched on.
"""

import unittest

import schemata


def wrap_of(source: str, find: str, replace: str, level: str = "expression") -> tuple[str, str, str] | None:
    """The level, original text and mutated text of the single wrap planned for the mutation, or None."""
    tokens = schemata.tokenize(source)
    change = schemata.minimal_change(source, tokens, "M1", find, replace)
    wraps, refused = schemata.plan(source, [change], {"M1": level})
    if refused and level == "expression":  # as mutate.py does: the next level
        wraps, refused = schemata.plan(source, [change], {"M1": "statement"})
    if refused:
        return None
    (wrap,) = wraps
    return wrap.level, source[wrap.start:wrap.end], change.applied(source, wrap.start, wrap.end)


class ExpressionWraps(unittest.TestCase):
    def test_an_operand_grows_to_its_whole_expression(self):
        source = "func f() -> Bool {\n    return a + b * c < limit\n}\n"
        self.assertEqual(wrap_of(source, "< limit", "<= limit"),
                         ("expression", "a + b * c < limit", "a + b * c <= limit"))

    def test_a_labelled_argument_is_its_own_expression(self):
        source = "let x = Row(isElastic: self == .keep, name: n)\n"
        self.assertEqual(wrap_of(source, "self == .keep", "false"), ("expression", "self == .keep", "false"))

    def test_swapped_ternary_branches_take_the_whole_conditional(self):
        source = "let x = Row(chargeType: paid ? .postPaid : .prePaid, name: n)\n"
        self.assertEqual(wrap_of(source, "? .postPaid : .prePaid", "? .prePaid : .postPaid"),
                         ("expression", "paid ? .postPaid : .prePaid", "paid ? .prePaid : .postPaid"))

    def test_a_ternary_middle_operand_stands_alone(self):
        source = "let x = paid ? first + 1 : second\n"
        self.assertEqual(wrap_of(source, "first + 1", "first + 2"), ("expression", "first + 1", "first + 2"))

    def test_a_trailing_closure_belongs_to_its_call(self):
        source = "func f() {\n    if done { stop() }\n    let last = lines.lastIndex { $0.isEmpty }\n}\n"
        self.assertEqual(wrap_of(source, "lastIndex", "firstIndex"),
                         ("expression", "lines.lastIndex { $0.isEmpty }", "lines.firstIndex { $0.isEmpty }"))

    def test_a_condition_block_is_not_a_trailing_closure(self):
        source = "func f() {\n    for index in members[slot] {\n        use(index)\n    }\n}\n"
        self.assertEqual(wrap_of(source, "members[slot] {", "members[slot].reversed() {"),
                         ("expression", "members[slot]", "members[slot].reversed()"))

    def test_a_removed_list_element_grows_to_the_list(self):
        source = "let rest = flags.subtracting([.force, .graceful, .dryRun])\n"
        self.assertEqual(wrap_of(source, ".graceful, ", ""),
                         ("expression", "[.force, .graceful, .dryRun]", "[.force, .dryRun]"))

    def test_a_removed_condition_clause_becomes_true(self):
        source = ("func f() -> Int? {\n    guard let record = records[id], record.account == account,"
                  " record.kind == kind else { return nil }\n    return record.size\n}\n")
        self.assertEqual(wrap_of(source, "record.account == account, ", ""),
                         ("expression", "record.account == account", "true"))

    def test_a_continued_line_joins_its_expression(self):
        source = "let total = first\n    + second\n    + third\nprint(total)\n"
        self.assertEqual(wrap_of(source, "+ second", "- second"),
                         ("expression", "first\n    + second\n    + third", "first\n    - second\n    + third"))

    def test_a_case_pattern_is_not_wrapped_as_an_expression(self):
        source = "func f() {\n    switch x {\n    case .a, .b: run()\n    default: break\n    }\n}\n"
        level, original, mutated = wrap_of(source, ".a, .b:", ".a, .c:")
        self.assertEqual(level, "statement")
        self.assertTrue(original.lstrip().startswith("switch x {") and original.rstrip().endswith("}"))
        self.assertIn("case .a, .c: run()", mutated)


class StatementWraps(unittest.TestCase):
    def test_a_removed_statement_is_switched_off(self):
        source = "func f() {\n    switch x {\n    case .a:\n        locked = true\n        run()\n    }\n}\n"
        self.assertEqual(wrap_of(source, "        locked = true\n", ""),
                         ("statement", "        locked = true\n", ""))

    def test_an_if_grows_to_its_else_chain(self):
        source = "func f() {\n    if a {\n        one()\n    } else {\n        two()\n    }\n    three()\n}\n"
        level, original, _ = wrap_of(source, "if a {", "if !a {")
        self.assertEqual(level, "expression")  # the condition alone is an expression
        self.assertEqual(original, "a")
        level, original, mutated = wrap_of(source, "        one()\n", "", "statement")
        self.assertEqual(original, "        one()\n")

    def test_a_split_case_takes_the_whole_switch(self):
        source = ("func f() {\n    switch fate {\n    case .released, .moved: stop()\n    case .kept: start()\n    }\n"
                  "    done()\n}\n")
        level, original, mutated = wrap_of(source, "case .released, .moved: stop()",
                                           "case .released: stop()\n    case .moved: start()")
        self.assertEqual(level, "statement")
        self.assertEqual(original, "    switch fate {\n    case .released, .moved: stop()\n    case .kept: start()\n    }\n")
        self.assertIn("case .moved: start()", mutated)

    def test_a_declaration_is_not_wrapped_in_a_statement(self):
        source = "func f() {\n    let x = compute()\n    use(x)\n}\n"
        self.assertIsNone(wrap_of(source, "    let x = compute()\n", "    let x = other()\n", "statement"))


class Rendering(unittest.TestCase):
    def test_no_mutant_switched_on_leaves_the_original_text_in_its_branch(self):
        source = "let x = a < b\nlet y = c\n"
        tokens = schemata.tokenize(source)
        changes = [schemata.minimal_change(source, tokens, "M1", "a < b", "a <= b"),
                   schemata.minimal_change(source, tokens, "M2", "a < b", "b < a")]
        wraps, refused = schemata.plan(source, changes, {"M1": "expression", "M2": "expression"})
        self.assertEqual(refused, [])
        text, _ = schemata.render(source, wraps, "s")
        self.assertEqual(text, 'let x = (s("M1") ? (a <= b) : s("M2") ? (b < a) : (a < b))\nlet y = c\n')

    def test_strings_and_comments_hold_no_tokens(self):
        tokens = schemata.tokenize('let s = "a, b \\(f(x, "y")) c" // x, y\n/* { */ let t = 1')
        self.assertEqual([t.text for t in tokens],
                         ["let", "s", "=", '"a, b \\(f(x, "y")) c"', "let", "t", "=", "1"])


if __name__ == "__main__":
    unittest.main()
