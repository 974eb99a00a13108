"""People named by a common noun with a count or an article ("26 verdachten", "een 39-jarige man", "two suspects"):
who an arrest took, or who took to the streets ("duizenden betogers", "hundreds of protesters"), when the text gives
no name.

The person words are the casualty lexicon's (data/lexicons/casualties.tsv, kinds ``person`` and ``person_one``); the
counts are the article's quantity spans. Words of the forces that make arrests ("agenten", "police officers") are
left out (data/lexicons/role_heads.tsv, kind ``arresting_force``).
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..datafiles import read_tsv
from ..records import ActorRole, Span
from ..annotate.lexicons import articles
from ..langid import function_words
from .roles import role_heads

__all__ = ["people_phrases", "arrest_targets", "arrested_phrase", "protest_participants", "MODIFIER_WORDS"]

MODIFIER_WORDS = 2      # words between the count or article and the person word ("drie jonge Syrische mannen")
_WORD = re.compile(r"[^\W\d_][\w'-]*|\d[\w'-]*")


@lru_cache(maxsize=None)
def _person_words(language: str) -> frozenset[str]:
    return frozenset(row["phrase"].lower() for row in read_tsv("lexicons", "casualties.tsv")
                     if row["language"] == language and row["kind"] in ("person", "person_one"))


def _heads(language: str, kind: str) -> frozenset[str]:
    return role_heads(language).get(kind, frozenset())


def people_phrases(text: str, language: str, quantities: tuple[Span, ...] | list[Span], start: int,
                   end: int) -> list[tuple[int, int]]:
    """(start, end) of each count or article + up to MODIFIER_WORDS words + a person word in text[start:end]."""
    persons = _person_words(language)
    if not persons:
        return []
    openers = [(q.start, q.end, False) for q in quantities if start <= q.start and q.end <= end]
    for article in articles(language):
        for m in re.finditer(rf"(?<![\w-]){article}(?![\w-])", text[start:end], re.I):
            openers.append((start + m.start(), start + m.end(), True))
    function = function_words().get(language, frozenset())
    found: list[tuple[int, int]] = []
    for first, after, is_article in sorted(openers):
        words = list(_WORD.finditer(text, after, min(end, after + 80)))[:MODIFIER_WORDS + 1]
        for k, w in enumerate(words):
            if text[after if k == 0 else words[k - 1].end():w.start()].strip():
                break      # punctuation between: the phrase ended
            if is_article and w.group().lower() in function:
                break      # "the murder of journalist X" is no person phrase ("twee van de agenten", a count's, is)
            if w.group().lower() in persons:
                if not any(a <= first < b for a, b in found):
                    found.append((first, w.end()))
                break
    return found


def arrest_targets(text: str, language: str, trigger: Span, clause: tuple[int, int],
                   quantities: tuple[Span, ...] | list[Span], roles: tuple[ActorRole, ...],
                   taken: tuple[Span, ...] = (), bounds: tuple[Span, ...] = ()) -> tuple[ActorRole, ...]:
    """The people an arrest took, by a common noun in its clause, when no named target was found: "De politie heeft
    26 verdachten opgepakt", "Vier mannen zijn maandag aangehouden", "Police arrested two suspects". Not a phrase
    after a role word ("door", "by": who made the arrest), not the arresting force ("twee agenten"), not words that
    are part of a name or place already found (``taken``)."""
    if any(r.role == "target" for r in roles):
        return roles
    force = _heads(language, "arresting_force")
    agents = _heads(language, "arrest_agent_marker")
    added: list[ActorRole] = []
    for s, e in people_phrases(text, language, quantities, *clause):
        phrase = text[s:e]
        if phrase.split()[-1].lower() in force or any(t.start < e and s < t.end for t in taken):
            continue
        before = [w.lower() for w in _WORD.findall(text[max(clause[0], s - 20):s])]
        if before and before[-1] in agents:
            continue
        if trigger.start < e and s < trigger.end:
            continue
        added.append(ActorRole("target", phrase, None, "person", None, phrase))
    if not added:
        places = tuple(t for t in taken if t.producer == "gazetteer")
        named = {r.text for r in roles}
        found = arrested_phrase(text, language, trigger, clause, quantities, places + bounds)
        if found is not None and not any(t.start < found[1] and found[0] < t.end and t.text in named for t in taken):
            phrase = text[found[0]:found[1]]
            added.append(ActorRole("target", phrase, None, "person", None, phrase))
    return roles + tuple(added)


# Words of a noun phrase at most (an article or count, modifiers, the noun, "van"/"of" and what follows): "de
# vrouwelijke chauffeur van de schoolbus", "a senior leader of Hamas".
PHRASE_WORDS = 10
_PHRASE_WORD = re.compile(r"\d+(?:[.,]\d+)+|" + _WORD.pattern)     # "5,000 personnel" is one count


def arrested_phrase(text: str, language: str, trigger: Span, clause: tuple[int, int],
                    quantities: tuple[Span, ...] | list[Span], bounds: tuple[Span, ...] = ()) -> tuple[int, int] | None:
    """(start, end) of the noun phrase an arrest verb took, by the verb's syntax, whatever its noun: the subject of
    a passive ("De dader werd zondag opgepakt", "Zondag zijn in Brussel 17 sans-papiers opgepakt", "The driver of
    the bus was arrested"), the phrase before a participle without an auxiliary (a headline: "Beruchte familie
    opgepakt"), else the object ("De politie heeft een leider van Hamas opgepakt", "pakte drie mannen op", "Police
    arrested a senior Hamas leader"). `bounds` (places and dates) never open a phrase, a date ends one; None where
    no phrase stands in its place."""
    form = _verb_form(trigger.text, language)
    if form is None:
        return None        # a noun ("de arrestatie", "zijn proces"): its person follows "van", "of"
    if clause[0] >= 2 and text[clause[0] - 1] == "," and text[clause[0] - 2].isdigit() and \
            text[clause[0]:clause[0] + 1].isdigit():
        return None        # the clause was cut inside a number ("5,000 personnel"): its start is unknown
    words = [(m.start(), m.end(), m.group().lower()) for m in _PHRASE_WORD.finditer(text, clause[0], clause[1])]
    before = [w for w in words if w[1] <= trigger.start]
    inside = [w for w in words if trigger.start <= w[0] and w[1] <= trigger.end]
    after = [w for w in words if w[0] >= trigger.end]
    passive, perfect = _heads(language, "passive"), _heads(language, "perfect")
    aux = next((i for i in range(len(before) - 1, -1, -1) if before[i][2] in passive | perfect), None)
    if aux is not None and before[aux][2] in perfect and not (aux + 1 < len(before) and before[aux + 1][2] in passive):
        # active: "heeft ... opgepakt" holds its object; "has arrested two men" has it after
        return _phrase(text, language, before[aux + 1:], quantities, bounds) if language == "nl" else \
            _phrase(text, language, after, quantities, bounds, directly=True)
    if aux is not None:
        if language == "en":     # "Two men were arrested": the phrase right before the auxiliary
            return _phrase_ending(text, language, before[:aux], before[aux][0], quantities, bounds)
        # Dutch verb second: the subject opens the clause ("De dader werd ...") unless a time, place or
        # preposition does ("Zondag zijn in Brussel 17 sans-papiers opgepakt"), then it follows the auxiliary
        opening = _phrase(text, language, before[:aux], quantities, bounds, directly=True, clause_start=True)
        return opening or _phrase(text, language, before[aux + 1:], quantities, bounds)
    gap = inside[1:-1]
    if gap:                      # "pakte drie mannen op", "hield zondag twee verdachten aan"
        return _phrase(text, language, gap, quantities, bounds)
    if form == "finite" or (language == "en" and _opens_phrase(after[:1], quantities)):
        return _phrase(text, language, after, quantities, bounds, directly=True)
    # a participle without an auxiliary: a headline or a reduced relative ("Twee broers opgepakt in Gent")
    return _phrase(text, language, before, quantities, bounds, directly=True, clause_start=True)


_PARTICIPLE = {"nl": re.compile(r"(?:op|aan|vast|af|in|mee)?ge\w+(?:d|t|en)|in hechtenis", re.I),
               "en": re.compile(r"\w+ed|held|taken into custody|rounded up|picked up|remanded", re.I)}
_FINITE = {"nl": re.compile(r"\w+(?:de|den|te|ten)|hield|hielden", re.I)}     # English past forms are participles too


def _verb_form(verb: str, language: str) -> str | None:
    """"participle" ("opgepakt", "gearresteerd", "arrested"), "finite" (an active past: "arresteerde", "pakten ...
    op") or None for a noun ("arrestaties", "proces", "detention")."""
    first = verb.split()[0]
    if language in _PARTICIPLE and (_PARTICIPLE[language].fullmatch(first) or _PARTICIPLE[language].fullmatch(verb)):
        return "participle"
    if language in _FINITE and _FINITE[language].fullmatch(first):
        return "finite"
    return None


def _opens_phrase(words: list[tuple[int, int, str]], quantities: tuple[Span, ...] | list[Span]) -> bool:
    return bool(words) and _opener(words[0], words[0][2], quantities, "en")


def _opener(word: tuple[int, int, str], lower: str, quantities, language: str) -> bool:
    return lower in articles(language) or lower in _heads(language, "phrase_opener") or lower[:1].isdigit() \
        or any(q.start == word[0] for q in quantities)


def _phrase(text: str, language: str, words: list[tuple[int, int, str]], quantities, bounds: tuple[Span, ...],
            directly: bool = False, clause_start: bool = False) -> tuple[int, int] | None:
    """The first noun phrase in `words` (the first word only, with `directly`); with `clause_start` a capitalised
    word opening the clause may open it too ("Verdachte aangehouden")."""
    function = function_words().get(language, frozenset())
    for k, w in enumerate(words):
        if any(b.start <= w[0] < b.end for b in bounds):
            continue      # a time or place before the phrase: "arresteerde dinsdag in Gent een man"
        if directly and w[2] in function and not _opener(w, w[2], quantities, language) and k + 1 < len(words) and \
                any(b.start <= words[k + 1][0] < b.end for b in bounds):
            continue      # its preposition
        capital = clause_start and k == 0 and text[w[0]].isupper() and w[2] not in function
        if _opener(w, w[2], quantities, language) or capital:
            found = _extend(text, language, words[k:], quantities, bounds, skip_first=not capital)
            if found is not None or directly:
                return found
        elif directly:
            return None
    return None


def _phrase_ending(text: str, language: str, words: list[tuple[int, int, str]], end: int, quantities,
                   bounds: tuple[Span, ...]) -> tuple[int, int] | None:
    """The noun phrase among `words` that ends right before `end` (only spaces between)."""
    for k, w in enumerate(words):
        if _opener(w, w[2], quantities, language) and not any(b.start <= w[0] < b.end for b in bounds):
            found = _extend(text, language, words[k:], quantities, bounds, skip_first=True)
            if found is not None and not text[found[1]:end].strip():
                return found
    return None


def _extend(text: str, language: str, words: list[tuple[int, int, str]], quantities, bounds: tuple[Span, ...],
            skip_first: bool) -> tuple[int, int] | None:
    """From an opening word, the words of one noun phrase: up to a function word (but "van"/"of" before another
    phrase, "en"/"and" before another count, article or word: "military and administrative personnel"), a date,
    punctuation, a verb of suspicion ("verdacht van", "suspected of") or PHRASE_WORDS words; a place inside it is an
    adjective's ("een Syrische vluchteling"), a place after a preposition ended it at the preposition. None where it
    holds no noun."""
    function = function_words().get(language, frozenset())
    stops = _heads(language, "passive") | _heads(language, "perfect") | _heads(language, "suspect_verb") \
        | _heads(language, "arrest_agent_marker")
    joiners, conjunctions = _heads(language, "phrase_joiner"), _heads(language, "conjunction")
    suspicion = _heads(language, "suspect_verb")    # "the suspected gunman", but "a man suspected of"
    start, end, nouns = words[0][0], None, 0
    count = next((q for q in quantities if q.start == start), None)     # "more than 5,000": one opening count
    for k, (a, b, lower) in enumerate(words):
        if count is not None and b <= count.end:
            continue
        if k >= PHRASE_WORDS + (0 if count is None else len(count.text.split()) - 1):
            break
        if k and text[words[k - 1][1]:a].strip(" '’‘\"“”"):
            break                                   # punctuation between: the phrase ended
        opening = k == 0 or (k and words[k - 1][2] in joiners | conjunctions)
        if k and (lower in joiners or lower in conjunctions):
            nxt = words[k + 1] if k + 1 < len(words) else None
            if nxt is None or not (_opener(nxt, nxt[2], quantities, language) or
                                   (lower in joiners and text[nxt[0]].isupper()) or
                                   (lower in conjunctions and nxt[2] not in function)):
                break
            continue
        if (lower in stops and not (k == 1 and lower in suspicion)) or (lower in function and not opening) or \
                (k and any(x.start <= a < x.end and x.producer == "dates" for x in bounds)):
            break
        if not (k == 0 and skip_first) and not _opener((a, b, lower), lower, quantities, language):
            nouns += 1
        end = b
    if end is None or not nouns or len(text[start:end].split()[-1]) < 2:
        return None      # no noun, or a letter of an abbreviation ("the u.s.")
    last = text[start:end].split()[-1].lower()
    if last in _heads(language, "arresting_force") or last in _heads(language, "force_head"):
        return None      # "agenten", "the troops": who made the arrest
    return start, end


def protest_participants(text: str, language: str, trigger: Span, clause: tuple[int, int],
                         quantities: tuple[Span, ...] | list[Span], roles: tuple[ActorRole, ...],
                         taken: tuple[Span, ...] = ()) -> tuple[ActorRole, ...]:
    """Who took to the streets, by a common noun in the protest's clause, when no participant was found: "Duizenden
    betogers trokken door Barcelona", "honderden mensen protesteerden", "Hundreds of protesters gathered" (the
    trigger word may be the noun itself). Not what they protested against (a phrase after "tegen", "against" in the
    clause), not the police."""
    if any(r.role == "perpetrator" for r in roles):
        return roles
    force = _heads(language, "arresting_force")
    against = _heads(language, "protest_object_marker")
    # the trigger may be the people's own noun ("duizenden betogers"): a name found in it is no other actor
    taken = tuple(t for t in taken if not (t.start < trigger.end and trigger.start < t.end))
    added: list[ActorRole] = []
    for s, e in people_phrases(text, language, quantities, *clause):
        phrase = text[s:e]
        if phrase.split()[-1].lower() in force or any(t.start < e and s < t.end for t in taken):
            continue
        if any(w.lower() in against for w in _WORD.findall(text[clause[0]:s])):
            continue    # "tegen de arrestatie van twee studenten": what they protested against
        added.append(ActorRole("perpetrator", phrase, None, "civilians", None, phrase))
    if not added:
        # a bare plural person word opening the clause, or naming the protest itself: "Actievoerders protesteerden
        # zaterdag", "Betogers eisen ontslag van de regering"
        first = next(_WORD.finditer(text, clause[0], clause[1]), None)
        words = [w for w in (first,) if w is not None] + ([] if trigger.text.lower() not in _person_words(language)
                                                           else [None])
        for w in words:
            phrase = trigger.text if w is None else w.group()
            lower = phrase.lower()
            if lower in _person_words(language) and lower not in force and lower.endswith(("s", "en", "ers")):
                added.append(ActorRole("perpetrator", phrase, None, "civilians", None, phrase))
                break
    return roles + tuple(added)
