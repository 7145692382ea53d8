#!/usr/bin/env python3
"""The storefront wasm module carries only the messages its islands show.

A message shown by an island folds to its two strings in the module that links the island
(the catalogue's tables are constants and `Msg::text` is inlined). A catalogue visitor's
module must therefore hold no message that only the signed-in workspaces' islands use: if
the catalogue's tables stop folding, the whole catalogue lands in it again.

    scripts/wasm-messages.py MODULE.wasm

Fails naming every workspace-only message whose Chinese text is in MODULE.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
ISLANDS = ROOT / "app/src/islands"
# The islands every module links (the shell's and the catalogue's); see islands/mod.rs.
STOREFRONT = {"mod.rs", "account_menu.rs", "buy_box.rs", "api.rs"}


def messages():
    """Every message's name and Chinese text."""
    line = re.compile(r'^(\w+) => "((?:[^"\\]|\\.)*)",')
    found = {}
    for path in sorted((ROOT / "model/messages").glob("*.msg")):
        for text in path.read_text(encoding="utf-8").splitlines():
            m = line.match(text)
            if m:
                found[m.group(1)] = m.group(2)
    return found


def referenced(paths):
    names = set()
    for path in paths:
        names.update(re.findall(r"Msg::(\w+)", path.read_text(encoding="utf-8")))
    return names


def main():
    module = pathlib.Path(sys.argv[1]).read_bytes()
    texts = messages()
    workspace = [p for p in ISLANDS.rglob("*.rs") if p.relative_to(ISLANDS).parts[0] not in STOREFRONT]
    elsewhere = [
        p
        for p in list((ROOT / "app/src").rglob("*.rs")) + list((ROOT / "model/src").rglob("*.rs"))
        if not (p.is_relative_to(ISLANDS) and p.relative_to(ISLANDS).parts[0] not in STOREFRONT)
    ]
    only_workspace = referenced(workspace) - referenced(elsewhere)
    shared = [texts[n] for n in texts if n not in only_workspace]
    # A short text could occur inside a longer one the module may hold: check the texts of
    # at least four characters that are part of no other message.
    checked = [
        n
        for n in sorted(only_workspace)
        if n in texts
        and len(texts[n]) >= 4
        and not any(texts[n] in other for other in shared)
    ]
    if len(checked) < 20:
        sys.exit(f"only {len(checked)} workspace-only messages to look for: is the island list right?")
    leaked = [n for n in checked if texts[n].encode("utf-8") in module]
    if leaked:
        sys.exit(
            f"{sys.argv[1]} carries {len(leaked)} of {len(checked)} workspace-only messages: "
            + ", ".join(f"{n} ({texts[n]})" for n in leaked[:10])
        )
    print(f"{sys.argv[1]}: none of {len(checked)} workspace-only messages")


if __name__ == "__main__":
    main()
