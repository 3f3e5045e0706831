"""Character cues: is a line a speaker's name, and which name and extensions does it hold.

Shared by the indented-screenplay and Fountain readers so that both normalise speakers
the same way: ``"Bagby (o.s.)"`` -> speaker ``"BAGBY"``, flags ``("O.S.",)``.
"""

from __future__ import annotations

import re

# Extensions written many ways in the wild, mapped to one spelling each.
_FLAG_SPELLINGS = {
    "V.O.": "V.O.", "V.O": "V.O.", "VO": "V.O.", "V/O": "V.O.", "V/0": "V.O.", "VOICE OVER": "V.O.",
    "O.S.": "O.S.", "O.S": "O.S.", "OS": "O.S.", "O/S": "O.S.", "OFF": "O.S.",
    "O.C.": "O.C.", "O.C": "O.C.", "OC": "O.C.",
    "CONT'D": "CONT'D", "CONTD": "CONT'D", "CONT.": "CONT'D", "CONT": "CONT'D",
    "CONTINUED": "CONT'D", "CONTINUING": "CONT'D", "CONT D": "CONT'D",
}
_PARENS = re.compile(r"\(([^()]*)\)?")
# chinatown_1974/script.txt: "CURLY'S VOICE", "GITTES' VOICE" are them speaking off screen.
_VOICE = re.compile(r"^(.+?)(?:['’]S|(?<=S)['’]) VOICE$")
_NAME_CHARS = re.compile(r"^[A-Z0-9][A-Z0-9 .'’&#/\-]*$")
_HEADING = re.compile(r"^(INT|EXT|EST|I/E|E/I|INT\./EXT|EXT\./INT|INTERIOR|EXTERIOR)[.\s/]")


# Transitions and camera directions set at the cue's indent, which real scripts write
# without the colon the readers look for ("CUT TO", "FADE OUT.", "CLOSE ON DAVID",
# "ANGLE ON", "BACK TO SCENE"); all-capital lines like a name, never a character. Bare
# "IRIS" and "WIPE" are left out: Taxi Driver has an IRIS.
_DIRECTION = re.compile(
    r"^(?:(?:FADE|DISSOLVE|IRIS|WIPE)\s+(?:IN|OUT|TO|UP|DOWN|THROUGH)\b"
    r"|FADE(?:IN|OUT)\b|DISSOLVE\b|INTERCUT\b|BLACKOUT\b|THE\s+END\b"
    r"|(?:[A-Z]+\s+)?CUT(?:\s+(?:TO|BACK)\b.*)?$"           # CUT TO, TIME CUT, SMASH CUT
    r"|(?:CLOSE|ANGLE|WIDE|TIGHT|BACK|PUSH|PAN|TRACK|FOCUS|FAVOR|FAVOUR)\s+(?:ON|IN)\b"
    r"|CLOSE[\s-]?UP\b|(?:CLOSE|EXTREME|MEDIUM|WIDE|LONG|TWO|THREE|OVER)\s+SHOT\b"
    r"|EXTREME\s+CLOSE\b|INSERT\b|ESTABLISHING\b|MONTAGE\b|SERIES\s+OF\s+SHOTS\b"
    r"|SPLIT\s+SCREEN\b|FLASH\s*BACK\b|FLASH\s+(?:ON|TO|FORWARD|CUT)\b|BACK\s+TO\b"
    r"|END\s+(?:OF\s+)?(?:FLASHBACK|MONTAGE|INTERCUT|SEQUENCE)\b|MATCH\s+TO\b"
    r"|CAMERA\b(?!\s+(?:OPERATOR|CREW|MAN|WOMAN|GUY)\b)"  # CAMERA PULLS BACK TO REVEAL
    r"|.*\b(?:ANGLE|POV|P\.O\.V\.?)(?:\s|$))")              # NEW ANGLE, DAVID'S POV
# Page headers of printed drafts: "PAGE 22", "...CONTINUED...", "12 CONTINUED: 12", and a
# shot heading between two scene numbers ("60 THE FIELD 6 0"), which OCR splits apart.
_PAGE_HEADER = re.compile(r"^PAGE\s*\d+\b|^\d+[A-Z]?\s.*\d$")
# A scene heading without INT./EXT., as OCR'd and early drafts write them: "PLACE - TIME"
# or "PLACE - WHAT HAPPENS THERE" (gremlins: "HONG KONG - AN OUTDOOR MARKETPLACE").
_SLUG = re.compile(r"^.+\s[-–—]\s+(?:(?:DAY|NIGHT|LATER|CONTINUOUS|MORNING|EVENING|DAWN|DUSK|"
                   r"SAME|NOON|SUNSET|SUNRISE)\b|\S+\s+\S+)")
# "I" and "A" are words that OCR'd scripts leave at the cue's indent. Other lone letters
# stay names: M and Q in the Bond scripts, X in JFK, E in The Incredibles.
_WORD_LETTERS = {"I", "A"}


# OCR'd scripts put specks before a name (". SERENA", "· BILLY"): not part of it.
_SPECKS = re.compile(r"^[.·•,'`*\s]+(?=[A-Z])")


def normalise_flag(text: str) -> str:
    """One spelling per extension: ``"cont’d"`` -> ``"CONT'D"``; unknown ones upper-cased."""
    key = " ".join(text.replace("’", "'").upper().split())
    return _FLAG_SPELLINGS.get(key, key)


def split_cue(text: str) -> tuple[str, tuple[str, ...]]:
    """``"JOHN (V.O.) (CONT'D)"`` -> ``("JOHN", ("V.O.", "CONT'D"))``.

    The name is upper-cased with runs of blanks collapsed and trailing ``:`` dropped.
    """
    flags: list[str] = []
    text = _SPECKS.sub("", text)
    for match in _PARENS.finditer(text):
        flag = normalise_flag(match.group(1))
        if flag and flag not in flags:
            flags.append(flag)
    name = _PARENS.sub(" ", text)
    name = " ".join(name.replace("’", "'").split()).strip(" :,").upper()
    # mission_impossible_1996/script.txt:4252 writes the extension without brackets:
    # "ETHAN VO".
    for suffix in (" CONT'D", " V.O.", " VO", " V/O", " V/0", " O.S.", " OS", " O/S", " O.C."):
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)].rstrip()
            flag = normalise_flag(suffix)
            if flag not in flags:
                flags.append(flag)
    voice = _VOICE.match(name)
    if voice:
        name = voice.group(1)
        flags.append("VOICE")
    return name, tuple(flags)


def looks_like_cue(text: str, max_len: int = 45) -> bool:
    """True when ``text`` (stripped) reads as a character name with optional extensions.

    Upper-case letters outside brackets only (extensions may be lower-case: ``(cont'd)``),
    short, not a scene heading, not a transition or camera direction (``CUT TO``,
    ``CLOSE ON``), not a page header (``PAGE 22``, ``CONTINUED``).
    """
    text = _SPECKS.sub("", text)
    if not text or len(text) > max_len or text.startswith("("):
        return False
    # chinatown_1974/script.txt:4485: "DUBOIS,".
    name = _PARENS.sub(" ", text).strip().rstrip(",")
    if not name or not any(c.isalpha() for c in name) or "   " in name:
        return False  # "   ": two names side by side (dual dialogue), not one
    name = name.replace("Mc", "MC")  # McCLANE
    if name.endswith(":") or name.endswith("!") or name.endswith("?"):
        return False
    if _HEADING.match(name.upper() + " "):
        return False
    if not _NAME_CHARS.match(name.replace("’", "'")):
        return False
    return not is_direction(name)


def is_direction(name: str) -> bool:
    """A transition, camera direction or page header that looks like a name (the text of a
    cue without its brackets)."""
    name = " ".join(name.split())
    if name.rstrip(".") in _WORD_LETTERS:
        return True
    if _DIRECTION.match(name) or _PAGE_HEADER.match(name) or _SLUG.match(name):
        return True
    # "...CONTINUED...", "1 514 CONTINUED - 314": nothing but CONTINUED, digits and marks.
    return "CONTINUED" in name and not re.sub(r"CONTINUED|[^A-Z]", "", name)


def is_scene_heading(text: str) -> bool:
    """``INT. HOUSE - DAY`` and its variants (EXT, EST, I/E, INT./EXT.)."""
    return bool(_HEADING.match(text.upper() + " "))
