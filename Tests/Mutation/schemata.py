"""Mutant schemata: every mutant of the catalogue compiled into one build, each switched on at run time (issue 24).

Building each mutant alone costs one to five minutes on two cores (a change in ReleaseCore rebuilds every module
above it and relinks the test bundle). A *mutant schema* (Untch, Offutt and Harrold, "Mutation analysis using
mutant schemata", ISSTA 1993) writes every mutant into the source once, guarded by a run-time switch:

    original    fraction.count <= 6
    schema      (cloudReleaseMutant_3f2a("M033") ? (fraction.count <= 5) : (fraction.count <= 6))

so one build serves the whole catalogue and each mutant costs only its tests, run with `CLOUDRELEASE_MUTANT=M033`
in the environment (which child processes, such as the CLI under test, inherit).

A mutant is wrapped at the smallest level where both texts stand alone:

    expression  the changed tokens grown to the whole expression between its delimiters (`(`, `,`, `=`, `return`,
                a keyword, a statement's line break ...), wrapped in a conditional expression;
    statement   the changed lines grown to whole statements (balanced braces, continuation lines, `else`
                chains; a changed `case` grows to its whole `switch`), wrapped in `if … {} else {}`.

The compiler is the judge: a wrap that does not build is tried at the next level, then left to the one-at-a-time
path. Only whole expressions and whole statements are wrapped, so with no mutant switched on the schema computes
what the original does; `mutate.py --schemata` proves it on each run by passing the full suite with no mutant
active before testing any. Only the Python standard library is used.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field

ENVIRONMENT = "CLOUDRELEASE_MUTANT"

# Tokens that end an expression when met at bracket depth 0 (walking outwards from the change).
KEYWORDS = {
    "return", "throw", "if", "guard", "while", "else", "case", "in", "where", "let", "var", "switch", "repeat",
    "for", "catch", "do", "defer", "func", "init", "static", "private", "public", "package", "internal",
    "fileprivate", "mutating", "nonmutating", "struct", "enum", "class", "extension", "protocol", "typealias",
    "import", "break", "continue", "fallthrough", "default", "throws", "rethrows", "async", "get", "set",
}
ASSIGNMENTS = {"=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "&+=", "&-=", "&*="}
OPERATOR_CHARS = set("/=-+!*%<>&|^~?.")
OPENERS = {"(": ")", "[": "]", "{": "}"}
CLOSERS = {v: k for k, v in OPENERS.items()}


@dataclass
class Token:
    start: int
    end: int
    text: str
    kind: str  # word, number, string, operator, punct


def tokenize(source: str) -> list[Token]:
    """Swift's tokens, roughly but safely: comments skipped, string literals (interpolation included) one token."""
    tokens: list[Token] = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c.isspace():
            i += 1
        elif source.startswith("//", i):
            j = source.find("\n", i)
            i = n if j < 0 else j
        elif source.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if source.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif source.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif c == '"' or (c == "#" and source.startswith('#"', i)):
            j = string_end(source, i)
            tokens.append(Token(i, j, source[i:j], "string"))
            i = j
        elif c.isalpha() or c == "_" or c == "$" or c == "`":
            j = i + 1
            if c == "`":
                j = source.index("`", i + 1) + 1
            else:
                while j < n and (source[j].isalnum() or source[j] == "_"):
                    j += 1
            tokens.append(Token(i, j, source[i:j], "word"))
            i = j
        elif c == "#" or c == "@":
            j = i + 1
            while j < n and (source[j].isalnum() or source[j] == "_"):
                j += 1
            tokens.append(Token(i, j, source[i:j], "word"))
            i = j
        elif c.isdigit():
            j = i + 1
            while j < n and (source[j].isalnum() or source[j] in "_." and not source.startswith("..", j)):
                if source[j] == "." and not (j + 1 < n and source[j + 1].isdigit()):
                    break
                j += 1
            tokens.append(Token(i, j, source[i:j], "number"))
            i = j
        elif c in OPERATOR_CHARS:
            j = i + 1
            if c == ".":
                while j < n and source[j] == ".":
                    j += 1
                if j < n and source[j] in "<":  # ..< is one operator
                    j += 1
            else:
                while j < n and source[j] in OPERATOR_CHARS and source[j] != ".":
                    j += 1
            tokens.append(Token(i, j, source[i:j], "operator"))
            i = j
        else:
            tokens.append(Token(i, i + 1, c, "punct"))
            i += 1
    return tokens


def string_end(source: str, i: int) -> int:
    """The index just past the string literal that starts at `i` (raw, multi-line and interpolated strings)."""
    hashes = 0
    while source[i] == "#":
        hashes, i = hashes + 1, i + 1
    quote = '"""' if source.startswith('"""', i) else '"'
    close = quote + "#" * hashes
    escape = "\\" + "#" * hashes
    j = i + len(quote)
    while j < len(source):
        if source.startswith(escape + "(", j):
            j = skip_interpolation(source, j + len(escape) + 1)
        elif source.startswith(escape, j):
            j += len(escape) + 1
        elif source.startswith(close, j):
            return j + len(close)
        else:
            j += 1
    raise ValueError("unterminated string literal")


def skip_interpolation(source: str, j: int) -> int:
    depth = 1
    while j < len(source) and depth:
        if source[j] == '"':
            j = string_end(source, j)
            continue
        if source[j] == "(":
            depth += 1
        elif source[j] == ")":
            depth -= 1
        j += 1
    return j


def line_of(source: str, offset: int) -> int:
    return source.count("\n", 0, offset)


@dataclass
class Change:
    """One mutant's change in its file: the original region [start, end) and the text that replaces it."""

    mutant: str
    start: int
    end: int
    text: str

    def applied(self, source: str, span_start: int, span_end: int) -> str:
        """The text of [span_start, span_end) with this change made (the span covers the change)."""
        return source[span_start:self.start] + self.text + source[self.end:span_end]


def minimal_change(source: str, tokens: list[Token], mutant: str, find: str, replace: str) -> Change:
    """The smallest token-aligned region of `source` that the mutant changes, and its new text."""
    at = source.index(find)
    prefix = 0
    while prefix < min(len(find), len(replace)) and find[prefix] == replace[prefix]:
        prefix += 1
    suffix = 0
    while (suffix < min(len(find), len(replace)) - prefix
           and find[len(find) - 1 - suffix] == replace[len(replace) - 1 - suffix]):
        suffix += 1
    start, end = at + prefix, at + len(find) - suffix
    # Snap outwards to whole tokens so that no token is split.
    for token in tokens:
        t0, t1 = token.start, token.end
        if t0 < start < t1:
            start = t0
        if t0 < end < t1:
            end = t1
    new = source[start:at + prefix] + replace[prefix:len(replace) - suffix] + source[at + len(find) - suffix:end]
    if not new.strip():
        condition = removed_condition(source, tokens, start, end)
        if condition is not None:
            return Change(mutant, condition[0], condition[1], "true")
    return Change(mutant, start, end, new)


def removed_condition(source: str, tokens: list[Token], start: int, end: int) -> tuple[int, int] | None:
    """When the deleted text [start, end) is one Boolean clause of an `if`/`guard`/`while` condition list (`, c` or
    `c, `), the clause's own offsets: deleting it is the same as replacing it with `true`, which can be switched."""
    while start > 0 and source[start - 1] == source[end - 1]:
        start, end = start - 1, end - 1  # slide the deletion to its leftmost equal place
    for _ in range(2):
        text = source[start:end]
        stripped = text.strip()
        if stripped.startswith(","):
            clause = stripped[1:].strip()
        elif stripped.endswith(","):
            clause = stripped[:-1].strip()
        else:
            clause = None
        if clause and stands_alone(clause) and not any(t.text in ("let", "var", "case") for t in tokenize(clause)):
            at = source.index(clause, start)
            first = next(k for k, t in enumerate(tokens) if t.start >= at)
            if opens_block(source, tokens, first) and statement_keyword(source, tokens, first) != "for":
                return at, at + len(clause)
        # try the rightmost equal place too
        while end < len(source) and source[start] == source[end]:
            start, end = start + 1, end + 1
    return None


def statement_keyword(source: str, tokens: list[Token], left: int) -> str | None:
    """The keyword (`if`, `guard`, …) of the statement whose condition holds token `left`."""
    j = left - 1
    while j >= 0:
        text = tokens[j].text
        if line_of(source, tokens[j].end) != line_of(source, tokens[j + 1].start) \
                and not continues(tokens[j], tokens[j + 1]):
            return None
        if text in CLOSERS:
            j = matching(tokens, j, -1) - 1
            continue
        if text in ("if", "guard", "while", "switch", "for", "catch", "repeat"):
            return text
        if text in ("{", ";") or text in OPENERS:
            return None
        j -= 1
    return None


def continues(previous: Token | None, following: Token | None) -> bool:
    """Whether a line break between these tokens sits inside one expression (Swift's continuation rules)."""
    if previous is None or following is None:
        return False
    if previous.kind == "operator" and previous.text not in ("!", "?") or previous.text in ("(", "[", ","):
        return True
    if following.kind == "operator" and following.text not in ("!",):
        return True  # a leading `.member`, `&&`, `+`, `??` ...
    return False


def enclosing(tokens: list[Token], start: int, end: int) -> tuple[int, int] | None:
    """The innermost `( )` or `[ ]` pair, brackets included, that strictly contains [start, end)."""
    for o in range(len(tokens) - 1, -1, -1):
        if tokens[o].start < start and tokens[o].text in ("(", "["):
            c = matching(tokens, o, +1)
            if tokens[c].end >= end and (tokens[o].start, tokens[c].end) != (start, end):
                return tokens[o].start, tokens[c].end
    return None


def expression_span(source: str, tokens: list[Token], start: int, end: int) -> tuple[int, int] | None:
    """The whole expression around [start, end): its start and end offsets, or None when it is not one."""
    inside = [k for k, t in enumerate(tokens) if t.start >= start and t.end <= end]
    if inside:
        first, last = inside[0], inside[-1]
    else:  # an insertion: start between the tokens around it
        after = next((k for k, t in enumerate(tokens) if t.start >= start), len(tokens))
        first, last = after, after - 1

    # A change that holds a ternary's `:` (its branches swapped, say) belongs to the whole conditional.
    colon_inside = any(t.text == ":" for t in tokens[first:last + 1])

    def stops(token: Token) -> bool:
        return (token.text in KEYWORDS or token.text in ASSIGNMENTS or token.text in (",", ";", ":", "->")
                or token.kind == "word" and token.text.startswith("@"))

    k = first - 1
    while k >= 0:
        token = tokens[k]
        if line_of(source, token.end) != line_of(source, tokens[k + 1].start) and not continues(token, tokens[k + 1]):
            break
        if token.text in CLOSERS:
            k = matching(tokens, k, -1) - 1
            continue
        if token.text in OPENERS or stops(token) or token.text == "?" and spaced(tokens, k) and not colon_inside:
            break  # a ternary's `?` on the left: the change sits in its middle operand, which stands alone
        k -= 1
    left = k + 1
    k = last + 1
    while k < len(tokens):
        token = tokens[k]
        if line_of(source, tokens[k - 1].end) != line_of(source, token.start) and not continues(tokens[k - 1], token):
            break
        if token.text in ("(", "["):
            k = matching(tokens, k, +1) + 1
            continue
        if token.text == "?" and spaced(tokens, k):
            k = ternary_end(tokens, k)  # the change sits in the condition: the whole conditional is the expression
            continue
        if token.text == "{" and not opens_block(source, tokens, left):
            k = matching(tokens, k, +1) + 1  # a trailing closure belongs to the call before it
            continue
        if token.text in CLOSERS or token.text == "{" or stops(token):
            break
        k += 1
    right = k - 1
    if left > right or in_pattern(tokens, left):
        return None
    return tokens[left].start, tokens[right].end


def opens_block(source: str, tokens: list[Token], left: int) -> bool:
    """Whether a `{` after the expression starting at token `left` opens a statement's block (`if`, `guard`,
    `while`, `switch`, `for`, `catch`) rather than a trailing closure."""
    return statement_keyword(source, tokens, left) is not None


def spaced(tokens: list[Token], k: int) -> bool:
    """Whether the `?` at `k` is a ternary's (spaced), not an optional's."""
    return k > 0 and tokens[k - 1].end < tokens[k].start


def in_pattern(tokens: list[Token], k: int) -> bool:
    """Whether the expression starting at token `k` is part of a `case` pattern (where it would not stay one)."""
    j = k - 1
    while j >= 0:
        text = tokens[j].text
        if text in CLOSERS:
            j = matching(tokens, j, -1) - 1
            continue
        if text == "case":
            return True
        if text in OPENERS or text in (":", "=", ";", "return", "in", "if", "guard", "while", "switch") \
                or text in ASSIGNMENTS:
            return False
        j -= 1
    return False


def ternary_end(tokens: list[Token], k: int) -> int:
    """From a ternary `?` at `k`, the index past its `:` branch's first operand token (the walk goes on from there)."""
    depth, j = 0, k + 1
    while j < len(tokens):
        text = tokens[j].text
        if text in OPENERS:
            j = matching(tokens, j, +1) + 1
            continue
        if text in CLOSERS or text == ",":
            return j  # no `:` found: let the caller stop here
        if text == "?" and spaced(tokens, j):
            depth += 1
        elif text == ":":
            if depth == 0:
                return j + 1
            depth -= 1
        j += 1
    return j


def matching(tokens: list[Token], k: int, step: int) -> int:
    pairs = OPENERS if step > 0 else CLOSERS
    want = pairs[tokens[k].text]
    depth, j = 0, k
    while 0 <= j < len(tokens):
        if tokens[j].text == tokens[k].text:
            depth += 1
        elif tokens[j].text == want:
            depth -= 1
            if depth == 0:
                return j
        j += step
    raise ValueError("unbalanced brackets")


def statement_span(source: str, tokens: list[Token], start: int, end: int) -> tuple[int, int] | None:
    """Whole lines around [start, end) grown to whole statements; a changed `case` grows to its whole `switch`."""
    lines = source.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    first, last = line_of(source, start), line_of(source, max(start, end - 1))
    by_line: dict[int, list[Token]] = {}
    for token in tokens:
        by_line.setdefault(line_of(source, token.start), []).append(token)
    labels = ("case ", "case.", "default:", "@unknown")

    for _ in range(500):
        if first < 0 or last >= len(lines):
            return None
        inner = [t for n in range(first, last + 1) for t in by_line.get(n, [])]
        if not inner:
            return None
        depth, lowest, label_at_top = 0, 0, False
        for n in range(first, last + 1):
            if depth == 0 and lines[n].lstrip().startswith(labels):
                label_at_top = True
            for token in by_line.get(n, []):
                if token.text in OPENERS:
                    depth += 1
                elif token.text in CLOSERS:
                    depth -= 1
                    lowest = min(lowest, depth)
        if lowest < 0:
            first -= 1
            continue
        if label_at_top:  # a `case` label cannot stand inside an `if`: take the whole switch
            n = first - 1
            while n >= 0 and not re.match(r"\s*(return\s+)?switch\b.*\{\s*$", lines[n]):
                n -= 1
            if n < 0:
                return None
            first = n
            continue
        if depth > 0:
            last += 1
            continue
        before = by_line.get(first - 1, [])
        after = by_line.get(last + 1, [])
        if before and continues(before[-1], inner[0]):
            first -= 1
            continue
        ends_block = inner[-1].text == "}"
        if after and (continues(inner[-1], after[0]) or ends_block and after[0].text in ("else", "catch")):
            last += 1
            continue
        if inner[0].text in DECLARATIONS or inner[0].text.startswith("@") or any(t.text == "defer" for t in inner):
            return None  # a declaration would leave scope inside the `if`; a `defer` would run at its end
        return offsets[first], offsets[last + 1]
    return None


DECLARATIONS = {
    "else", "catch", "case", "default", "func", "init", "var", "let", "struct", "enum", "class", "extension",
    "static", "private", "public", "package", "internal", "fileprivate", "mutating", "protocol", "typealias",
    "import", "deinit", "subscript", "actor", "nonisolated", "override", "final", "lazy", "weak",
}


@dataclass
class Wrap:
    """One place in a file where one or more mutants are switched in."""

    level: str  # expression | statement
    start: int
    end: int
    changes: list[Change] = field(default_factory=list)


def plan(source: str, changes: list[Change], levels: dict[str, str]) -> tuple[list[Wrap], list[str]]:
    """Where each change is wrapped at its asked level; the ids that cannot be wrapped at that level."""
    tokens = tokenize(source)
    wraps: list[Wrap] = []
    refused: list[str] = []
    for change in changes:
        level = levels[change.mutant]
        span = None
        if level == "expression":
            seed = (change.start, change.end)
            for _ in range(6):
                span = expression_span(source, tokens, *seed)
                if span is not None and stands_alone(change.applied(source, *span)) \
                        and stands_alone(source[span[0]:span[1]]):
                    break
                span, seed = None, enclosing(tokens, *seed)
                if seed is None:
                    break
        else:
            span = statement_span(source, tokens, change.start, change.end)
        if span is None:
            refused.append(change.mutant)
            continue
        wraps.append(Wrap(level, span[0], span[1], [change]))
    # Overlapping wraps become one statement-level wrap around their union.
    merged = True
    while merged:
        merged = False
        wraps.sort(key=lambda w: (w.start, -w.end))
        for a in range(len(wraps)):
            for b in range(a + 1, len(wraps)):
                x, y = wraps[a], wraps[b]
                if y.start < x.end:
                    if x.level == y.level == "expression" and x.start <= y.start and y.end <= x.end:
                        x.changes += y.changes  # a whole expression inside a whole expression
                        del wraps[b]
                    else:
                        span = statement_span(source, tokens, min(x.start, y.start), max(x.end, y.end))
                        del wraps[b]
                        del wraps[a]
                        if span is None:
                            refused += [c.mutant for c in x.changes + y.changes]
                        else:
                            wraps.append(Wrap("statement", span[0], span[1], x.changes + y.changes))
                    merged = True
                    break
            if merged:
                break
    return wraps, refused


def stands_alone(text: str) -> bool:
    """Whether `text` can be one operand of a conditional expression: not empty, and with no `,`, `;`, assignment or
    statement keyword outside its brackets."""
    tokens = tokenize(text)
    if not tokens:
        return False
    depth, ternaries = 0, 0
    for token in tokens:
        if token.text in OPENERS:
            depth += 1
        elif token.text in CLOSERS:
            depth -= 1
        elif depth == 0 and (token.text in (",", ";") or token.text in ASSIGNMENTS or token.text in KEYWORDS):
            return False
        elif depth == 0 and token.text == "?" and spaced(tokens, tokens.index(token)):
            ternaries += 1
        elif depth == 0 and token.text == ":":
            if ternaries == 0:
                return False
            ternaries -= 1
    return depth == 0


def switch_name(relative_directory: str) -> str:
    return "cloudReleaseMutant_" + hashlib.sha256(relative_directory.encode()).hexdigest()[:8]


def switch_file(name: str) -> str:
    return (
        "// Written by Tests/Mutation/schemata.py into the mutation scratch tree only.\n"
        "import Foundation\n\n"
        f"@usableFromInline let {name}Active: String = ProcessInfo.processInfo.environment[\"{ENVIRONMENT}\"] ?? \"\"\n\n"
        f"@usableFromInline func {name}(_ mutant: String) -> Bool {{ mutant == {name}Active }}\n"
    )


def render(source: str, wraps: list[Wrap], name: str) -> tuple[str, list[tuple[int, int, Wrap]]]:
    """The file with every wrap written in, and each wrap's line range in the result (for the compiler's errors)."""
    pieces: list[str] = []
    placed: list[tuple[int, int, Wrap]] = []
    cursor = 0
    line = 0
    for wrap in sorted(wraps, key=lambda w: w.start):
        pieces.append(source[cursor:wrap.start])
        line += source.count("\n", cursor, wrap.start)
        original = source[wrap.start:wrap.end]
        if wrap.level == "expression":
            text = "("
            for change in wrap.changes:
                text += f"{name}(\"{change.mutant}\") ? ({change.applied(source, wrap.start, wrap.end)}) : "
            text += f"({original}))"
        else:
            text = ""
            for number, change in enumerate(wrap.changes):
                keyword = "if" if number == 0 else "} else if"
                body = change.applied(source, wrap.start, wrap.end)
                text += f"{keyword} {name}(\"{change.mutant}\") {{\n{body}" + ("" if body.endswith("\n") else "\n")
            text += f"}} else {{\n{original}" + ("" if original.endswith("\n") else "\n") + "}\n"
        pieces.append(text)
        placed.append((line, line + text.count("\n"), wrap))
        line += text.count("\n")
        cursor = wrap.end
    pieces.append(source[cursor:])
    return "".join(pieces), placed


ERROR = re.compile(r"^(/[^:]+\.swift):(\d+):\d+: error: (.*)$", re.MULTILINE)


def blame(output: str, placed: dict[str, list[tuple[int, int, Wrap]]]) -> tuple[set[str], list[str]]:
    """The mutants whose wraps the compiler's errors point at (an error below a wrap blames the nearest wrap above
    it in its file), and the errors that point at no wrap at all."""
    blamed: set[str] = set()
    unplaced: list[str] = []
    for match in ERROR.finditer(output):
        path, line = os.path.realpath(match.group(1)), int(match.group(2)) - 1
        regions = placed.get(path, [])
        inside = [w for a, b, w in regions if a <= line <= b]
        above = [(a, w) for a, b, w in regions if a <= line]
        if inside:
            blamed |= {c.mutant for w in inside for c in w.changes}
        elif above:
            blamed |= {c.mutant for c in max(above, key=lambda x: x[0])[1].changes}
        else:
            unplaced.append(match.group(0))
    return blamed, unplaced
