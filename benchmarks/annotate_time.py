#!/usr/bin/env python3
"""Speed of the time, quantity and casualty annotators on ~600-word Dutch and English news articles.

Usage:
    python benchmarks/annotate_time.py [--repeat 300]

Prints, per language and annotator, the best-of-seven mean milliseconds per article and the spans found, then
spans per second. The articles below are written for this benchmark (no corpus text): ordinary news prose with a
realistic density of dates, figures and casualty counts. Loading (lexicons, compiled regexes) happens once before
timing, as in the pipeline.
"""
from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from kroniek.annotate.casualties import find_casualties  # noqa: E402
from kroniek.annotate.dates import find_dates  # noqa: E402
from kroniek.annotate.quantities import find_quantities  # noqa: E402

NL_ARTICLE = """Aanslag in winkelstraat: regering kondigt extra maatregelen aan

Bij een aanslag in een drukke winkelstraat in het centrum van de stad zijn gisteravond minstens negen mensen om het
leven gekomen. Volgens de hulpdiensten raakten tientallen anderen gewond, van wie zeven zwaargewonden. Een man reed
rond half acht met een bestelbus in op het winkelend publiek en stak daarna met een mes om zich heen. Agenten
schoten de dader na enkele minuten neer.

De burgemeester sprak vanochtend op een persconferentie van een zwarte dag voor de stad. Zij zei dat de politie al
sinds vorige week extra patrouilleerde in het centrum, omdat de veiligheidsdienst begin deze maand had gewaarschuwd
voor een verhoogde dreiging. Of er een verband is met die waarschuwing, wil het openbaar ministerie nog niet zeggen.

De vermoedelijke dader is een 31-jarige man die al ruim twee jaar in de stad woonde. Hij werd in 2019 veroordeeld tot
achttien maanden cel voor bedreiging. Buren vertellen dat hij de afgelopen maanden steeds vaker ruzie zocht. Twee
weken geleden zou hij nog zijn aangehouden na een vechtpartij, maar hij werd dezelfde dag weer vrijgelaten.

Het is de zwaarste aanslag in het land sinds maart 2016, toen bij aanslagen op het vliegveld en in de metro meer dan
dertig mensen omkwamen en ruim driehonderd mensen gewond raakten. De regering komt morgen bijeen voor een
crisisoverleg. De premier liet weten dat er ongeveer 2.000 extra agenten worden ingezet bij evenementen in het
weekend.

In ziekenhuizen in de regio werden de hele nacht gewonden binnengebracht. Een woordvoerder zei vrijdag dat drie
patiënten nog in levensgevaar verkeren. Vier kinderen liggen op de intensive care. Bij een bloedbank stonden
vanmorgen honderden mensen in de rij om bloed te geven.

Op het plein waar de aanslag plaatsvond, legden zaterdag duizenden mensen bloemen neer. Een vrouw die in een van de
winkels werkt, vertelde dat zij de bus zag aankomen. ,,Ik hoorde eerst geschreeuw en daarna een harde klap. Binnen een
paar seconden lagen er overal mensen op straat.''

Terreurgroep Islamitische Staat eiste de aanslag zondag op via haar persbureau. Deskundigen waarschuwen dat de groep
de afgelopen jaren vaker aanslagen heeft opgeëist die zij niet zelf had voorbereid. Het onderzoek naar mogelijke
handlangers loopt nog. Donderdag 14 november worden twee verdachten voorgeleid aan de rechter-commissaris.

Vorig jaar vielen bij aanslagen in Europa in totaal ongeveer veertig doden. Eind vorig jaar verhoogde de regering het
dreigingsniveau al naar vier, het op een na hoogste niveau. Volgens de minister van Justitie zijn sinds 2015 meer dan
twintig aanslagen verijdeld, waarvan enkele in de laatste weken van december.

De gemeenteraad debatteert volgende week over de beveiliging van de binnenstad. Oppositiepartijen willen weten
waarom betonblokken die na eerdere incidenten waren geplaatst, vorig voorjaar weer werden weggehaald. De wethouder
zei dat de blokken destijds alleen tijdelijk nodig waren en dat de politie toen geen concrete dreiging zag.

Winkeliers in de straat zijn bezorgd over de gevolgen. Een eigenaar van een kledingzaak vertelde dat zijn omzet al
maanden onder druk staat en dat hij vreest dat klanten nu helemaal wegblijven. Andere ondernemers willen juist zo
snel mogelijk weer open, om te laten zien dat de stad zich niet laat intimideren.

Hulpverleners prezen de samenwerking tussen ambulancediensten, brandweer en ziekenhuizen. Binnen een kwartier waren
meer dan veertig ambulances ter plaatse, sommige uit buurlanden. Een traumachirurg zei dat het team de hele nacht
heeft geopereerd en dat het ziekenhuis dankzij een oefening in het najaar goed was voorbereid.
"""

EN_ARTICLE = """Attack on shopping street: government announces new security measures

At least nine people were killed and dozens injured when a man drove a van into shoppers in the city centre on Friday
evening, officials said. Seven of the injured are in critical condition. The driver then attacked passers-by with a
knife before police officers shot him a few minutes later, according to witnesses.

The mayor told a news conference on Saturday morning that police had been patrolling the centre since last week,
after the security service warned early this month of a heightened threat. Prosecutors declined to say whether the
attack was linked to that warning.

The suspect, a 31-year-old man, had lived in the city for more than two years. He was sentenced in 2019 to eighteen
months in prison for making threats. Neighbours said he had become increasingly aggressive over the past few months.
Two weeks ago he was arrested after a fight, but he was released the same day.

It is the deadliest attack in the country since March 2016, when more than thirty people died and over 300 were
wounded in bombings at the airport and on the metro. Ministers will meet tomorrow for emergency talks. The prime
minister said about 2,000 extra officers would be deployed at public events over the weekend.

Hospitals in the region received casualties throughout the night. A spokesman said on Friday that three patients
were still in a life-threatening condition. Four children are in intensive care. Hundreds of people queued outside a
blood bank this morning to donate blood.

On Saturday thousands of people laid flowers in the square where the attack took place. A woman who works in one of
the shops said she saw the van coming. "First I heard screaming and then a loud bang. Within a few seconds there were
people lying everywhere in the street."

The Islamic State group claimed responsibility for the attack on Sunday through its news agency. Experts warn that
the group has in recent years claimed attacks it did not prepare itself. The search for possible accomplices
continues. Two suspects will appear before an investigating judge on Thursday, November 14.

Last year attacks in Europe killed about forty people in total. Late last year the government raised the threat
level to four, the second-highest level. According to the justice minister, more than twenty attacks have been
foiled since 2015, several of them in the last weeks of December.

The city council will debate security in the city centre next week. Opposition parties want to know why concrete
barriers placed after earlier incidents were removed last spring. The deputy mayor said the barriers had only been
needed temporarily and that police saw no concrete threat at the time.

Shopkeepers on the street are worried about the consequences. The owner of a clothing shop said his sales had been
under pressure for months and that he feared customers would now stay away altogether. Other business owners want to
reopen as soon as possible, to show that the city will not be intimidated.

Emergency workers praised the cooperation between ambulance services, the fire brigade and hospitals. Within fifteen
minutes more than forty ambulances were on the scene, some of them from neighbouring countries. A trauma surgeon said
the team operated through the night and that an exercise held in the autumn had prepared the hospital well.
"""


def best_ms(function, repeat: int) -> float:
    """Best-of-seven mean CPU milliseconds per call (CPU time and the best run: least disturbed by other processes)."""
    function()
    best = float("inf")
    for _ in range(7):
        start = time.process_time()
        for _ in range(repeat):
            function()
        best = min(best, (time.process_time() - start) / repeat * 1000)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    published = date(2019, 11, 10)
    print(f"{'language':8} {'words':>5} {'annotator':12} {'ms/article':>10} {'spans':>5} {'spans/s':>9}")
    for language, text in (("nl", NL_ARTICLE), ("en", EN_ARTICLE)):
        words = len(text.split())
        quantities = find_quantities(text, language)
        runs = (
            ("dates", lambda: find_dates(text, language, published)),
            ("quantities", lambda: find_quantities(text, language)),
            ("casualties", lambda: find_casualties(text, language, quantities)),
            ("casualties*", lambda: find_casualties(text, language)),
        )
        for name, function in runs:
            ms = best_ms(function, args.repeat)
            spans = len(function())
            print(f"{language:8} {words:5d} {name:12} {ms:10.3f} {spans:5d} {spans / ms * 1000:9.0f}")
    print("casualties* = find_casualties without precomputed quantities (it runs find_quantities itself)")


if __name__ == "__main__":
    main()
