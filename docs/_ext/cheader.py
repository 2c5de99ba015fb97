# SPDX-License-Identifier: MIT
"""The C API reference, read from the comments of include/fastgpio.h.

fastgpio.h documents itself kernel-doc style: a ``/** ... */`` comment before
a declaration (or before a run of declarations with no blank line between
them, which it then covers together), ``/**< ... */`` after a struct member,
enumerator or macro, ``@name`` for a parameter, and section titles between
``/* ---- */`` rules. This module turns that into reST for Sphinx's C domain:

- ``parse(text)`` splits the header into sections and documented items;
- ``render(sections)`` writes the reST (``c:function``, ``c:struct`` with
  ``c:member``, ``c:enum`` with ``c:enumerator``, ``c:macro``);
- ``undocumented(sections)`` names every function, struct and enum that has
  no comment: the directive reports each as a Sphinx warning (an error under
  ``sphinx-build -W``), tests/test_docs.py asserts there are none.

As a Sphinx extension it adds the directive ``.. c-header:: PATH`` (PATH
relative to the document). Run as a script it prints the reST of a header,
for looking at what the directive feeds Sphinx.

Doxygen is not used: its ``@`` commands collide with the header's ``@name``
parameter references (``@line``, ``@n``, ``@file`` are Doxygen commands), and
it attaches a comment to the first declaration of a run only.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

# ---------------------------------------------------------------------------
# Parsing


@dataclass
class Member:
    """A struct member or an enumerator, with its comment."""
    decl: str
    doc: str = ""


@dataclass
class Item:
    """A top-level declaration (or a run of them covered by one comment)."""
    kind: str                      # "function", "struct", "enum", "macro"
    decls: List[str]               # the declarations as the C domain takes them
    name: str                      # the first declaration's name (for messages)
    line: int                      # the first declaration's line in the header
    doc: str = ""
    members: List[Member] = field(default_factory=list)
    values: List[str] = field(default_factory=list)  # a macro's value, per declaration
    notes: List[str] = field(default_factory=list)   # a macro's '/**<' comment, per declaration
    inline: bool = False           # a static inline function defined in the header


@dataclass
class Section:
    title: str
    intro: str = ""
    items: List[Item] = field(default_factory=list)


_RULE = re.compile(r"^/\*\s*-{8,}\s*\*/$")
_PREPROC_SKIP = re.compile(r"^#\s*(if|ifdef|ifndef|else|elif|endif|include|undef|error|pragma)\b")


def _comment_text(raw: str) -> str:
    """The text of a comment: delimiters and each line's leading ' * ' removed,
    relative indentation kept (the formatter uses it to tell lists apart)."""
    body = raw
    for opener in ("/**<", "/**", "/*"):
        if body.startswith(opener):
            body = body[len(opener):]
            break
    if body.endswith("*/"):
        body = body[:-2]
    lines = body.split("\n")
    out = []
    for i, ln in enumerate(lines):
        s = ln.strip() if i == 0 else ln
        if i > 0:
            # continuation lines: '\t * text', '   text' (aligned under the opener) or ' *'
            m = re.match(r"^\s*\*( ?)(.*)$", s)
            if m:
                s = m.group(2)
            else:
                s = s.strip()
        out.append(s.rstrip())
    while out and not out[0].strip():
        out.pop(0)
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out)


def _strip_preproc_blocks(lines: List[str]) -> List[Tuple[int, str]]:
    """The header's lines numbered from 1, minus what is not API: the include
    guard, #include, the extern "C" wrapper under __cplusplus and the block
    that defines FGPIO_API itself."""
    out: List[Tuple[int, str]] = []
    skip_depth = 0   # > 0 inside a block being skipped (counts nested #if)
    for no, text in enumerate(lines, 1):
        s = text.strip()
        if s.startswith("#"):
            d = re.sub(r"^#\s*", "#", s)
            if d.startswith(("#if", "#ifdef", "#ifndef")):
                if skip_depth:
                    skip_depth += 1
                elif "__cplusplus" in d or "FGPIO_BUILDING_LIBRARY" in d:
                    skip_depth = 1
                out.append((no, ""))
                continue
            if d.startswith("#endif"):
                if skip_depth:
                    skip_depth -= 1
                out.append((no, ""))
                continue
            if skip_depth or _PREPROC_SKIP.match(d) or d.startswith("#define FASTGPIO_H"):
                out.append((no, ""))
                continue
        out.append((no, "" if skip_depth else text))
    return out


def _name_of(decl: str) -> str:
    """The declared name: the identifier before the parameter list for a
    function, else the last identifier (before any array bound)."""
    d = re.sub(r"\[[^\]]*\]", "", decl)
    m = re.search(r"([A-Za-z_]\w*)\s*\(", d)
    if m:
        return m.group(1)
    ids = re.findall(r"[A-Za-z_]\w*", d)
    return ids[-1] if ids else ""


def _split_body(body: str, sep: str) -> List[Member]:
    """Members of a struct ('sep' = ';') or enumerators of an enum (','), each
    with the '/** */' comment before it or the '/**< */' comment after it."""
    members: List[Member] = []
    pending = ""
    cur = ""
    i = 0
    while i < len(body):
        if body.startswith("/*", i):
            j = body.index("*/", i + 2) + 2
            raw = body[i:j]
            if raw.startswith("/**<"):
                if cur.strip():
                    # before the separator (the last enumerator has none): ends the member
                    members.append(Member(" ".join(cur.split()), _comment_text(raw)))
                    cur = ""
                elif members:
                    target = members[-1]
                    target.doc = (target.doc + "\n\n" if target.doc else "") + _comment_text(raw)
            elif raw.startswith("/**"):
                pending = _comment_text(raw)
            i = j
            continue
        ch = body[i]
        if ch == sep:
            if cur.strip():
                members.append(Member(" ".join(cur.split()), pending))
            elif members and not members[-1].doc and pending:
                members[-1].doc = pending
            pending = ""
            cur = ""
        else:
            cur += ch
        i += 1
    if cur.strip():
        members.append(Member(" ".join(cur.split()), pending))
    return members


def parse(text: str) -> Tuple[str, List[Section]]:
    """(the file's opening comment, its sections with their items)."""
    numbered = _strip_preproc_blocks(text.split("\n"))
    src = "\n".join(t for _, t in numbered)
    line_at = [0]
    for i, ch in enumerate(src):
        if ch == "\n":
            line_at.append(i + 1)

    def lineno(pos: int) -> int:
        lo, hi = 0, len(line_at) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_at[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1

    sections = [Section("")]
    file_doc = ""
    doc: Optional[str] = None      # the comment covering the next declaration(s)
    run: Optional[Item] = None     # the item a following declaration joins (no blank line)
    last: Optional[Item] = None    # the item a '/**<' after it documents (macros)
    after_rule = False             # the next plain comment is a section title
    i = 0
    n = len(src)
    while i < n:
        ch = src[i]
        if ch == "\n":
            # a blank line ends a run of declarations sharing one comment
            j = i + 1
            while j < n and src[j] in " \t":
                j += 1
            if j < n and src[j] == "\n":
                run = None
            i += 1
            continue
        if ch in " \t":
            i += 1
            continue
        if src.startswith("/*", i):
            j = src.index("*/", i + 2) + 2
            raw = src[i:j]
            if _RULE.match(raw):
                after_rule = True
            elif raw.startswith("/**<"):
                # after a declaration on its own line (a macro's is read with its line)
                if last is not None:
                    last.doc = (last.doc + " " if last.doc else "") + _comment_text(raw)
            elif raw.startswith("/**"):
                doc = _comment_text(raw)
                run = None
            elif not file_doc and not sections[0].items:
                file_doc = _comment_text(raw)
            elif after_rule:
                sections.append(Section(_comment_text(raw).strip().rstrip(".")))
                after_rule = False
            else:
                # a plain comment after a title: the section's introduction
                sec = sections[-1]
                sec.intro = (sec.intro + "\n\n" if sec.intro else "") + _comment_text(raw)
            i = j
            continue
        after_rule = False
        if ch == "#":
            j = src.find("\n", i)
            j = n if j < 0 else j
            # a macro's trailing '/**<' comment is on its line
            line = src[i:j]
            m = re.match(r"#\s*define\s+([A-Za-z_]\w*)(.*)$", line)
            if m:
                rest = m.group(2)
                trailing = ""
                c = rest.find("/**<")
                if c >= 0:
                    trailing = _comment_text(rest[c:])
                    rest = rest[:c]
                item = _join(sections[-1], run, "macro", m.group(1), lineno(i), doc)
                item.values.append(rest.strip())
                item.notes.append(trailing)
                run, last, doc = item, item, None
            i = j
            continue
        # a declaration: up to ';' at brace depth 0, or a function body's '}'
        j, depth, body_start, body_end = i, 0, -1, -1
        while j < n:
            if src.startswith("/*", j):
                j = src.index("*/", j + 2) + 2
                continue
            c = src[j]
            if c == "{":
                if depth == 0:
                    body_start = j
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    body_end = j
                    if "(" in src[i:body_start]:
                        break    # an inline function's definition ends at its '}'
            elif c == ";" and depth == 0:
                break
            j += 1
        decl_text = src[i:j + 1]
        item = _declaration(decl_text, body_start - i, body_end - i, lineno(i), sections[-1], run, doc)
        run, last, doc = item, item, None
        i = j + 1
    return file_doc, sections


def _join(sec: Section, run: Optional[Item], kind: str, decl: str, line: int,
          doc: Optional[str]) -> Item:
    """A new item, or the run's item when this declaration continues a run of
    the same kind under one comment."""
    if run is not None and doc is None and run.kind == kind and kind in ("function", "macro"):
        run.decls.append(decl)
        return run
    item = Item(kind, [decl], _name_of(decl) if kind != "macro" else decl, line, doc or "")
    sec.items.append(item)
    return item


def _declaration(text: str, body_start: int, body_end: int, line: int, sec: Section,
                 run: Optional[Item], doc: Optional[str]) -> Item:
    head = text[:body_start] if body_start >= 0 else text.rstrip(";")
    head = " ".join(head.replace("FGPIO_API", "").split())
    m = re.match(r"^(struct|enum)\s+([A-Za-z_]\w*)\s*$", head)
    if m:
        kind, name = m.group(1), m.group(2)
        item = Item(kind, [name], name, line, doc or "")
        if body_start >= 0:
            body = text[body_start + 1:body_end]
            item.members = _split_body(body, ";" if kind == "struct" else ",")
        sec.items.append(item)
        return item
    inline = head.startswith("static inline ")
    if inline:
        head = head[len("static inline "):]
    head = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", head))
    item = _join(sec, run, "function", head, line, doc)
    item.inline = item.inline or inline
    return item


def undocumented(sections: List[Section]) -> List[Item]:
    """Functions, structs and enums with no comment (macros may go without)."""
    return [it for sec in sections for it in sec.items if it.kind != "macro" and not it.doc.strip()]


def function_names(sections: List[Section]) -> List[str]:
    return [_name_of(d) for sec in sections for it in sec.items if it.kind == "function"
            for d in it.decls]


# ---------------------------------------------------------------------------
# Rendering

_SPECIAL = re.compile(r"([\\*`|_])")
# What may stand right before / after inline markup without a "\ " separator
# (docutils' inline markup recognition rules).
_BEFORE_OK = set(" \t\n-:/'\"<([{")
_AFTER_OK = set(" \t\n-.,:;!?\\/'\")]}>")


def _inline(text: str, known: dict) -> str:
    """One paragraph's text as reST: @param and `quoted` as literals, known
    function / type / macro names as C-domain references, other fgpio names
    as literals, every other character reST would read as markup escaped."""
    out = []
    pos = 0
    token = re.compile(
        r"`([^`]+)`"                                  # `fastgpio bench`
        r"|@([A-Za-z_]\w*)"                           # @param
        r"|\b(struct|enum)\s+(fgpio_\w+)"             # struct fgpio_x
        r"|\b(fgpio_\w+\*?|FGPIO_\w+\*?)(\(\))?(\.\w+)?"  # fgpio_f(), FGPIO_X_*, fgpio_x.member
    )
    for m in token.finditer(text):
        out.append(_SPECIAL.sub(r"\\\1", text[pos:m.start()]))
        pos = m.end()
        if m.group(1) is not None:
            piece = f"``{m.group(1)}``"
        elif m.group(2) is not None:
            piece = f"``{m.group(2)}``"
        elif m.group(3) is not None:
            name = m.group(4)
            piece = (f":c:{m.group(3)}:`{name}`" if known.get(name) == m.group(3)
                     else f"``{m.group(0)}``")
        else:
            name, call, member = m.group(5), m.group(6), m.group(7)
            role = known.get(name)
            if member and role == "struct":
                piece = f":c:member:`{name}{member}`"
            elif role and not member:
                # the C domain adds "()" to a function reference itself
                piece = f":c:{role}:`{name}`" + ("()" if call and role != "func" else "")
            else:
                # a pattern (FGPIO_OPEN_*) or a name the header does not declare
                piece = f"``{m.group(0)}``"
        if m.start() > 0 and text[m.start() - 1] not in _BEFORE_OK:
            piece = "\\ " + piece
        if m.end() < len(text) and text[m.end()] not in _AFTER_OK:
            piece += "\\ "
        out.append(piece)
    out.append(_SPECIAL.sub(r"\\\1", text[pos:]))
    return "".join(out)


def _paragraphs(doc: str, known: dict, indent: str) -> List[str]:
    """A comment as reST paragraphs. A paragraph laid out by hand (list items,
    aligned continuation lines) becomes a literal block, as written."""
    lines: List[str] = []
    for para in re.split(r"\n\s*\n", doc.strip()):
        plines = para.split("\n")
        body_indents = {len(ln) - len(ln.lstrip()) for ln in plines[1:] if ln.strip()}
        laid_out = any(ln.lstrip().startswith("- ") for ln in plines) or len(body_indents) > 1 \
            or (body_indents and min(body_indents) > 0)
        if laid_out:
            first, rest = (plines[0], plines[1:]) if plines[0].rstrip().endswith(":") else ("", plines)
            if first:
                lines += [indent + _inline(first.strip(), known) + ":", ""]
            else:
                lines += [indent + "::", ""]
            base = min((len(ln) - len(ln.lstrip()) for ln in rest if ln.strip()), default=0)
            lines += [(indent + "   " + ln[base:]).rstrip() for ln in rest]
        else:
            lines.append(indent + _inline(" ".join(ln.strip() for ln in plines), known))
        lines.append("")
    return lines


def _known(sections: List[Section]) -> dict:
    """Name -> C-domain role, for the references in comments."""
    roles = {"function": "func", "struct": "struct", "enum": "enum", "macro": "macro"}
    known = {}
    for sec in sections:
        for it in sec.items:
            for d in it.decls:
                known[_name_of(d) if it.kind == "function" else d] = roles[it.kind]
            if it.kind == "enum":
                for mem in it.members:
                    known[mem.decl.split("=")[0].strip()] = "enumerator"
    return known


def render(file_doc: str, sections: List[Section], title_char: str = "-") -> str:
    known = _known(sections)
    out: List[str] = []
    if file_doc:
        paras = file_doc.split("\n\n")
        # the opening line names the file ("fastgpio.h - ..."): the page has its own title
        if re.match(r"^\S+\.h\s+-\s", paras[0]):
            paras = paras[1:]
        out += _paragraphs("\n\n".join(paras), known, "")
    for sec in sections:
        if sec.title:
            title = _inline(sec.title, known)
            out += [title, title_char * len(title), ""]
        if sec.intro:
            out += _paragraphs(sec.intro, known, "")
        for it in sec.items:
            out += _render_item(it, known)
    return "\n".join(out).rstrip() + "\n"


def _render_item(it: Item, known: dict) -> List[str]:
    if it.kind == "macro" and len(it.decls) > 1 and any(it.notes):
        # macros each with its own comment under a shared one: one entry each
        out: List[str] = []
        for d, v, note in zip(it.decls, it.values, it.notes):
            out += _render_item(Item("macro", [d], d, it.line, "\n\n".join(x for x in (it.doc, note) if x),
                                     values=[v], notes=[""]), known)
        return out
    directive = {"function": "c:function", "struct": "c:struct", "enum": "c:enum",
                 "macro": "c:macro"}[it.kind]
    out = [f".. {directive}:: {it.decls[0]}"]
    out += [" " * (len(directive) + 6) + d for d in it.decls[1:]]
    out.append("")
    if it.inline:
        out += ["   *Defined in the header as* ``static inline``.", ""]
    if it.kind == "macro" and len(it.decls) == 1 and it.values[0]:
        out += [f"   Value: ``{it.values[0]}``", ""]
    elif it.kind == "macro":
        out += ["   Values: " + ", ".join(f"``{d}`` = ``{v}``" for d, v in zip(it.decls, it.values)), ""]
    notes = it.notes if it.kind == "macro" and len(it.decls) == 1 else []
    doc = "\n\n".join(x for x in [it.doc] + notes if x)
    if doc:
        out += _paragraphs(doc, known, "   ")
    for mem in it.members:
        if it.kind == "struct":
            out += [f"   .. c:member:: {mem.decl}", ""]
        else:
            out += [f"   .. c:enumerator:: {mem.decl}", ""]
        if mem.doc:
            out += _paragraphs(mem.doc, known, "      ")
    return out


# ---------------------------------------------------------------------------
# Sphinx


def setup(app):  # pragma: no cover - exercised by the docs build
    import os

    from docutils import nodes
    from docutils.parsers.rst import Directive
    from docutils.statemachine import StringList
    from sphinx.util import logging
    from sphinx.util.nodes import nested_parse_with_titles

    logger = logging.getLogger(__name__)

    class CHeader(Directive):
        """``.. c-header:: PATH``: the reference of the header at PATH."""
        required_arguments = 1

        def run(self):
            env = self.state.document.settings.env
            path = os.path.normpath(os.path.join(os.path.dirname(env.doc2path(env.docname)),
                                                 self.arguments[0]))
            env.note_dependency(path)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            file_doc, sections = parse(text)
            for it in undocumented(sections):
                logger.warning("%s:%d: %s %s has no comment", path, it.line, it.kind, it.name,
                               location=(env.docname, self.lineno))
            # a cross-check of the parser: every exported declaration starts its line with FGPIO_API
            declared = len(re.findall(r"^FGPIO_API\s", text, re.M))
            parsed = sum(1 for nm in function_names(sections) if nm.startswith("fgpio_")) \
                - sum(1 for sec in sections for it in sec.items if it.inline for _ in it.decls)
            if declared != parsed:
                logger.warning("%s: %d FGPIO_API declarations but %d parsed functions",
                               path, declared, parsed, location=(env.docname, self.lineno))
            rst = render(file_doc, sections)
            container = nodes.container()
            nested_parse_with_titles(self.state, StringList(rst.split("\n"), path), container)
            return container.children

    app.add_directive("c-header", CHeader)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    with open(sys.argv[1] if len(sys.argv) > 1 else "include/fastgpio.h", encoding="utf-8") as f:
        fd, secs = parse(f.read())
    for it in undocumented(secs):
        print(f"undocumented: {it.kind} {it.name} (line {it.line})", file=sys.stderr)
    sys.stdout.write(render(fd, secs))
