#!/usr/bin/env python3
"""Turns hand-written, marked-up chat messages into the labelled JSON Lines format.

    label_markup.py pii-heldback.txt > pii-heldback.jsonl
    label_markup.py pii-dev.txt > pii-dev.jsonl

Markup, one message per line (blank lines and lines starting with '#' are skipped; the two
characters '\\n' stand for a line break inside a message):

    ⟦type|value⟧   a labelled entity of `type` (a PIIType raw value such as email, phone, url)
    ⟪kind|text⟫    a decoy: text that looks like an entity but is not one (kind is free text)

Inside a value, «gen» is replaced by a generated value so checksums hold: «card», «card »,
«card-» (Luhn-valid, grouped), «iban», «iban » (mod-97-valid), «btc», «bc1», «eth» (checksummed
wallets), «jwt», «pem», and «CLASSn» for n random characters of CLASS: h (hex), H (upper hex),
d (digits), a (letters and digits), u (upper letters and digits), b (base64), w (base64url),
l (lower letters). Generation is seeded, so the output is stable.

Output lines: {"id": n, "text": ..., "entities": [{"type", "start", "end"}], "decoys": [{"kind",
"start", "end"}]}; offsets count Unicode code points (Python str indices), end exclusive.
"""
import json, os, re, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate_pii_corpus as g  # noqa: E402  (checksum helpers)

CLASSES = {
    "h": "0123456789abcdef", "H": "0123456789ABCDEF", "d": "0123456789",
    "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "u": "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
    "b": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
    "w": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
    "l": "abcdefghijklmnopqrstuvwxyz",
}

def generate(spec):
    R = g.R
    if spec == "card": return g.card_number()
    if spec in ("card ", "card-"): return g.fmt_card(g.card_number(), spec[-1])
    if spec == "iban": return g.iban_compact()
    if spec == "iban ":
        s = g.iban_compact()
        return " ".join(s[i:i + 4] for i in range(0, len(s), 4))
    if spec == "btc": return g.b58check(b"\x00" + bytes(R.randrange(256) for _ in range(20)))
    if spec == "bc1": return g.bech32_addr(0, bytes(R.randrange(256) for _ in range(20)))
    if spec == "eth": return "0x" + g.eip55("".join(R.choice("0123456789abcdef") for _ in range(40)))
    if spec == "jwt": return g.jwt()
    if spec == "pem": return g.pem()
    m = re.fullmatch(r"([hHdaubwl])(\d+)", spec)
    if not m: raise SystemExit(f"unknown generator «{spec}»")
    alphabet = CLASSES[m.group(1)]
    while True:
        value = "".join(R.choice(alphabet) for _ in range(int(m.group(2))))
        # Random strings of a mixed class should look random (contain a digit and a letter).
        if m.group(1) in "hHdl" or (any(c.isdigit() for c in value) and any(c.isalpha() for c in value)):
            return value

TOKEN = re.compile(r"⟦([a-z_]+)\|(.*?)⟧|⟪([^|⟫]+)\|(.*?)⟫")

def convert(line, number):
    text, entities, decoys, cursor = "", [], [], 0
    def plain(segment):
        return re.sub(r"«([^»]+)»", lambda x: generate(x.group(1)), segment).replace("\\n", "\n")
    for m in TOKEN.finditer(line):
        text += plain(line[cursor:m.start()])
        cursor = m.end()
        body = m.group(2) if m.group(1) else m.group(4)
        body = re.sub(r"«([^»]+)»", lambda x: generate(x.group(1)), body).replace("\\n", "\n")
        start = len(text)
        text += body
        if m.group(1):
            entities.append({"type": m.group(1), "start": start, "end": len(text)})
        else:
            decoys.append({"kind": m.group(3), "start": start, "end": len(text)})
    text += plain(line[cursor:])
    if "⟦" in text or "⟪" in text: raise SystemExit(f"line {number}: unbalanced markup")
    record = {"id": number, "text": text, "entities": entities}
    if decoys: record["decoys"] = decoys
    return record

def main():
    g.R.seed(22)
    number = 0
    with open(sys.argv[1], encoding="utf-8") as source:
        for raw in source:
            line = raw.rstrip("\n")
            if not line.strip() or line.startswith("#"): continue
            number += 1
            print(json.dumps(convert(line, number), ensure_ascii=False))

if __name__ == "__main__":
    main()
