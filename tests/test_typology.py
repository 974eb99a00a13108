"""The typology: every ACLED sub-event type from Dutch and English words, with the codes ACLED and GTD name it by, and
text that reports no political violence giving no violent event (EVENTS.md, "Out of scope").

Each case: the first asserted event's (type, subtype, ACLED sub-event type), written out from the ACLED codebook's
definitions, not read from the crosswalk. An attack on soldiers or a military position stays Kroniek's (and GTD's)
attack; ACLED calls it an armed clash."""
from __future__ import annotations

from datetime import date

import pytest

from kroniek.ontology import VIOLENT_TYPES
from kroniek.pipeline import analyse_text

PUBLISHED = date(2020, 1, 8)

TYPED = [

 # (language, text, expected (type, subtype, acled_sub_event_type) of the first asserted event, or None)
 ("en", "Police in Lahore arrested three members of Lashkar-e-Taiba on Tuesday.", ("arrest", "arrest", "Arrests")),
 ("nl", "De politie heeft dinsdag in Antwerpen drie leden van een terreurcel opgepakt.", ("arrest", "arrest", "Arrests")),
 ("en", "Two activists were charged with sedition in Dhaka on Monday.", ("arrest", "charge", None)),
 ("nl", "Twee jihadisten zijn maandag in Brussel aangeklaagd voor deelname aan een terroristische organisatie.", ("arrest", "charge", None)),
 ("en", "The trial of five suspected Islamic State members began in Paris on Monday.", ("arrest", "trial", None)),
 ("nl", "In Rotterdam is maandag het proces begonnen tegen vijf vermoedelijke leden van IS.", ("arrest", "trial", None)),
 ("en", "A court in Ankara sentenced a PKK militant to life in prison on Friday.", ("arrest", "conviction", None)),
 ("nl", "Een Syriëganger is vrijdag in Den Haag veroordeeld tot zes jaar celstraf.", ("arrest", "conviction", None)),
 ("en", "Soldiers seized a cache of weapons and ammunition near Mosul on Thursday.", ("strategic", "weapons_seized", "Disrupted weapons use")),
 ("nl", "Bij een inval in Luik zijn donderdag wapens en munitie van een jihadistische cel in beslag genomen.", ("strategic", "weapons_seized", "Disrupted weapons use")),
 ("en", "A bomb planted outside a church in Kaduna was defused by police on Sunday.", ("attack", "bombing", "Disrupted weapons use")),
 ("nl", "Een bom bij een moskee in Kabul werd zondag onschadelijk gemaakt door het leger.", ("attack", "bombing", "Disrupted weapons use")),
 ("en", "Militiamen raped four women in a village near Bunia on Saturday.", ("attack", "sexual_violence", "Sexual violence")),
 ("nl", "Milities hebben zaterdag in een dorp bij Bunia vier vrouwen verkracht.", ("attack", "sexual_violence", "Sexual violence")),
 ("en", "A helicopter dropped barrels of chlorine on a town near Idlib on Thursday.", ("remote_violence", "chemical", "Chemical weapon")),
 ("nl", "Een helikopter wierp donderdag vaten met chloorgas af boven een stad bij Idlib.", ("remote_violence", "chemical", "Chemical weapon")),
 ("en", "Gunmen threw a grenade into a crowded market in Srinagar on Monday, wounding 12 people.", ("attack", "grenade", "Grenade")),
 ("nl", "Onbekenden gooiden maandag een handgranaat op een drukke markt in Srinagar; twaalf mensen raakten gewond.", ("attack", "grenade", "Grenade")),
 ("en", "A mob lynched two men accused of cattle theft in Jharkhand on Sunday.", ("riot", "mob_violence", "Mob violence")),
 ("nl", "Een woedende menigte heeft zondag in Jharkhand twee mannen gelyncht.", ("riot", "mob_violence", "Mob violence")),
 ("en", "The government and the rebels signed a ceasefire agreement in Juba on Friday.", ("strategic", "agreement", "Agreement")),
 ("nl", "De regering en de rebellen hebben vrijdag in Juba een vredesakkoord ondertekend.", ("strategic", "agreement", "Agreement")),
 ("en", "Turkish forces set up a new military base near Zakho on Monday.", ("strategic", "base_established", "Headquarters or base established")),
 ("nl", "Turkse troepen hebben maandag een nieuwe basis opgezet bij Zakho.", ("strategic", "base_established", "Headquarters or base established")),
 ("en", "The Iraqi army recaptured the town of Tal Afar from Islamic State on Thursday.", ("armed_clash", "territory_regained", "Government regains territory")),
 ("nl", "Het Iraakse leger heeft donderdag de stad Tal Afar heroverd op IS.", ("armed_clash", "territory_regained", "Government regains territory")),
 ("en", "Al-Shabaab militants captured the town of El Bur after government troops left.", ("armed_clash", "territory_taken", "Non-state actor overtakes territory")),
 ("en", "The rebels handed over the town of Daraa to the army without a fight on Sunday.", ("strategic", "territory_transfer", "Non-violent transfer of territory")),
 ("nl", "De rebellen droegen zondag de stad Daraa zonder slag of stoot over aan het leger.", ("strategic", "territory_transfer", "Non-violent transfer of territory")),
 ("en", "US forces withdrew from a base near Kobani on Monday.", ("strategic", "group_change", "Change to group/activity")),
 ("nl", "Amerikaanse troepen trokken zich maandag terug uit een basis bij Kobani.", ("strategic", "group_change", "Change to group/activity")),
 ("en", "Police fired tear gas to disperse hundreds of protesters in Nairobi on Monday.", ("protest", "with_intervention", "Protest with intervention")),
 ("nl", "De politie zette maandag traangas in tegen honderden betogers in Nairobi.", ("protest", "with_intervention", "Protest with intervention")),
 ("en", "Police opened fire on protesters in Khartoum on Monday, killing five.", ("protest", "excessive_force", "Excessive force against protesters")),
 ("nl", "De politie opende maandag in Khartoum het vuur op betogers, waarbij vijf doden vielen.", ("protest", "excessive_force", "Excessive force against protesters")),
 ("en", "Warplanes pounded the village of Kafr Nabl on Tuesday, killing six civilians.", ("remote_violence", "air_strike", "Air/drone strike")),
 ("nl", "Gevechtsvliegtuigen bombardeerden dinsdag het dorp Kafr Nabl; zes burgers kwamen om.", ("remote_violence", "air_strike", "Air/drone strike")),
 ("en", "Taliban fighters attacked an army checkpoint in Kunduz on Monday, killing four soldiers.", ("attack", None, "Armed clash")),
 ("nl", "Talibanstrijders vielen maandag een legerpost aan in Kunduz.", ("attack", None, "Armed clash")),
 ("en", "Gunmen attacked a wedding party in Zamfara on Monday, killing ten civilians.", ("attack", "shooting", "Attack")),
 ("en", "Militants looted shops and torched houses in the village of Kafr Jenah.", ("attack", "looting", "Looting/property destruction")),
 ("nl", "Milities plunderden winkels in het dorp Kafr Jenah.", ("attack", "looting", "Looting/property destruction")),
 ("en", "Protesters threw stones at police and set cars ablaze in Beirut on Saturday.", ("riot", None, "Violent demonstration")),
 ("nl", "Betogers bekogelden zaterdag in Beiroet de politie met stenen.", ("riot", None, "Violent demonstration")),
 ("en", "The army imposed a curfew on Srinagar on Monday.", ("strategic", "other", "Other")),
 ("nl", "Het leger stelde maandag een avondklok in voor Srinagar.", ("strategic", "other", "Other")),
 ("en", "Thousands of people marched peacefully through Santiago on Sunday to demand pension reform.", ("protest", "peaceful", "Peaceful protest")),
 ("en", "Militants attacked an army post in Kandahar on Monday. No casualties were reported.", ("attack", None, "Armed clash")),
 ("nl", "Bij een aanval van jihadisten op een legerkamp in Niger kwamen dinsdag 71 militairen om.", ("attack", None, "Armed clash")),
 ("en", "A bomb exploded near a bus station in Quetta on Monday. No casualties were reported.", ("attack", "bombing", "Remote explosive/landmine/IED")),
 # Who the actors are (ACLED): armed state forces against armed men are two armed organised sides, a clash
 ("en", "The army killed 20 terrorists in Hama province on Sunday.", ("armed_clash", "clash", "Armed clash")),
 ("nl", "Het leger doodde zondag twintig terroristen in de provincie Hama.", ("armed_clash", "clash", "Armed clash")),
 ("en", "Islamic State fighters attacked a police base near Mosul on Sunday.", ("attack", None, "Armed clash")),
 # territory changing hands is the event, not the attack that took it
 ("en", "After a surprise attack on Monday, the army recaptured the villages near the border.", ("armed_clash", "territory_regained", "Government regains territory")),
 ("nl", "Na een verrassingsaanval heroverde het leger maandag de dorpen bij de grens.", ("armed_clash", "territory_regained", "Government regains territory")),
 ("en", "Al-Shabaab militants attacked and took over the town of El Bur on Monday.", ("armed_clash", "territory_taken", "Non-state actor overtakes territory")),
 ("nl", "Al-Shabaab viel maandag de stad El Bur aan en veroverde haar.", ("armed_clash", "territory_taken", "Non-state actor overtakes territory")),
 # the side before a passive verb lost the ground: the government regains it
 ("en", "The militants were pushed back from their strongholds near Aleppo on Sunday.", ("armed_clash", "territory_regained", "Government regains territory")),
 ("nl", "De rebellen werden zondag verdreven uit hun bolwerken bij Aleppo.", ("armed_clash", "territory_regained", "Government regains territory")),
 # non-violent transfer: taken without a fight, or after the other side withdrew and nothing violent is named
 ("en", "Islamic State took control of Palmyra on Friday after the Syrian army withdrew from the city.", ("strategic", "territory_transfer", "Non-violent transfer of territory")),
 ("nl", "IS veroverde vrijdag Palmyra nadat het Syrische leger zich uit de stad had teruggetrokken.", ("strategic", "territory_transfer", "Non-violent transfer of territory")),
 ("en", "Government forces took control of three towns near Bangui on Sunday without a fight.", ("strategic", "territory_transfer", "Non-violent transfer of territory")),
 ("nl", "Regeringstroepen namen zondag zonder slag of stoot drie steden bij Bangui in.", ("strategic", "territory_transfer", "Non-violent transfer of territory")),
 # what a protest is about is no intervention in it
 ("en", "Thousands of protesters rallied in Khartoum on Saturday to mourn the demonstrators killed last month.", ("protest", "peaceful", "Peaceful protest")),
 ("nl", "Duizenden betogers gingen zaterdag in Khartoem de straat op uit protest tegen de arrestatie van twee activisten.", ("protest", "peaceful", "Peaceful protest")),
 ("en", "Hundreds of people protested peacefully in Minneapolis on Sunday following the riots of last week.", ("protest", "peaceful", "Peaceful protest")),
 ("nl", "Honderden mensen demonstreerden zondag vreedzaam in Minneapolis naar aanleiding van de rellen van vorige week.", ("protest", "peaceful", "Peaceful protest")),
 # state force used against protesters is part of the protest; deaths at a riot are its toll
 ("en", "Police shot dead two protesters during a demonstration in Khartoum on Monday.", ("protest", "excessive_force", "Excessive force against protesters")),
 ("nl", "De politie schoot maandag twee demonstranten dood tijdens een betoging in Khartoem.", ("protest", "excessive_force", "Excessive force against protesters")),
 # an intervention that seriously injures, with or without a count, is excessive force (ACLED)
 ("en", "Police dispersed protesters with tear gas in Erbil on Monday, leaving several demonstrators seriously injured.", ("protest", "excessive_force", "Excessive force against protesters")),
 ("nl", "De politie zette maandag in Erbil traangas in tegen betogers; verschillende demonstranten raakten zwaargewond.", ("protest", "excessive_force", "Excessive force against protesters")),
 ("en", "Two protesters were killed by police in Lagos on Monday as rioters threw stones and set cars ablaze.", ("riot", None, "Violent demonstration")),
 ("nl", "Bij rellen in Lagos kwamen maandag twee mensen om het leven.", ("riot", None, "Violent demonstration")),
 # arms seized, whatever they are; aircraft that strike; a chemical weapons plant struck is no chemical attack
 ("en", "Police seized two landmines and three grenades near Donetsk on Friday.", ("strategic", "weapons_seized", "Disrupted weapons use")),
 ("nl", "De politie nam vrijdag bij Donetsk twee landmijnen en drie granaten in beslag.", ("strategic", "weapons_seized", "Disrupted weapons use")),
 ("en", "Jets targeted a market in Raqqa on Tuesday, killing 30 civilians.", ("remote_violence", "air_strike", "Air/drone strike")),
 ("nl", "Gevechtsvliegtuigen bestookten dinsdag een markt in Raqqa; dertig burgers kwamen om.", ("remote_violence", "air_strike", "Air/drone strike")),
 # a chemical weapon names the attack it was used in, whichever clause names the attack
 ("en", "In a rebel attack on the town of Saraqib on Monday, chlorine gas was used.", ("remote_violence", "chemical", "Chemical weapon")),
 ("nl", "Bij een aanval van rebellen op de stad Saraqib werd maandag, volgens artsen, chloorgas gebruikt.", ("remote_violence", "chemical", "Chemical weapon")),
 # a definite noun that opens the text introduces its event: there is nothing before it to refer back to
 ("en", "The missile fired by the army destroyed a warship off Hodeidah on Monday.", ("remote_violence", "missile", "Shelling/artillery/missile attack")),
 ("nl", "De raket die het leger afvuurde, verwoestte maandag een oorlogsschip bij Hodeida.", ("remote_violence", "missile", "Shelling/artillery/missile attack")),
 ("en", "US warplanes struck three chemical weapons facilities near Homs on Tuesday.", ("remote_violence", "air_strike", "Air/drone strike")),
 ("nl", "Amerikaanse gevechtsvliegtuigen bombardeerden dinsdag drie fabrieken voor chemische wapens bij Homs.", ("remote_violence", "air_strike", "Air/drone strike")),
]

# Disasters, accidents, sport, a tax case: no violent event; a football riot is a riot and nothing more.
OUT_OF_SCOPE = [
 ("en", "Cyclone Idai killed more than 600 people in Mozambique and Zimbabwe last week.", None),
 ("nl", "De cycloon Idai eiste vorige week in Mozambique meer dan zeshonderd levens.", None),
 ("en", "A passenger plane crashed near Addis Ababa on Sunday, killing all 157 people on board.", None),
 ("nl", "Een passagiersvliegtuig stortte zondag neer bij Addis Abeba; alle 157 inzittenden kwamen om.", None),
 ("en", "Football fans rioted after the match in Marseille on Saturday, smashing windows.", "riot"),
 ("nl", "Voetbalsupporters hebben zaterdag na de wedstrijd in Rotterdam rellen geschopt en ruiten ingegooid.", "riot"),
 ("en", "The Supreme Court ruled on Tuesday that the company must pay the tax assessment.", None),
 ("nl", "De Hoge Raad oordeelde dinsdag dat het bedrijf de belastingaanslag moet betalen.", None),
]


def _events(language: str, text: str):
    return analyse_text(text, language=language, published=PUBLISHED)


@pytest.mark.parametrize("language, text, expected", TYPED, ids=[f"{c[0]}-{(c[2][1] or c[2][0])}-{i}"
                                                                 for i, c in enumerate(TYPED)])
def test_each_acled_type_in_dutch_and_english(language, text, expected):
    asserted = [e for e in _events(language, text) if e.modality == "asserted"]
    assert asserted, "no asserted event"
    first = asserted[0]
    assert (first.type, first.subtype, first.acled_sub_event_type) == expected


@pytest.mark.parametrize("language, text, expected", OUT_OF_SCOPE, ids=[f"{c[0]}-{i}" for i, c in enumerate(OUT_OF_SCOPE)])
def test_no_violent_event_where_no_political_violence_is_reported(language, text, expected):
    events = _events(language, text)
    assert not any(e.type in VIOLENT_TYPES for e in events)
    if expected == "riot":
        assert [e.type for e in events if e.modality == "asserted"] == ["riot"]
    else:
        assert events == ()


def test_a_defused_bomb_is_an_attack_that_failed():
    event = _events("en", "A bomb planted outside a church in Kaduna was defused by police on Sunday.")[0]
    assert (event.type, event.outcome, event.gtd_attack_type) == ("attack", "failed", "Bombing/Explosion")
    assert event.gtd_weapon_types == ("Explosives",)


def test_no_casualties_reported_does_not_negate_the_attack():
    for language, text in (
            ("en", "A bomb exploded near a bus station in Quetta on Monday. No casualties were reported."),
            ("en", "A bomb exploded near a bus station in Quetta on Monday, but there were no casualties."),
            ("en", "There were no casualties in the bombing of the mosque in Kabul on Monday."),
            ("nl", "Er zijn geen gewonden gevallen bij de explosie bij het politiebureau in Luik.")):
        attacks = [e for e in _events(language, text) if e.type == "attack"]
        assert [e.modality for e in attacks] == ["asserted"], text


def test_a_denied_attack_is_still_negated():
    strikes = _events("en", "The army denied that it had bombed the village; no casualties were reported.")
    assert [e.modality for e in strikes] == ["negated"]


def test_an_arrest_for_shoplifting_is_no_event():
    assert _events("nl", "Een 34-jarige man is dinsdag in Utrecht opgepakt voor winkeldiefstal.") == ()
    assert _events("en", "A 34-year-old man was arrested for shoplifting in Leeds on Tuesday.") == ()


@pytest.mark.parametrize("language, text", [
    ("en", "Canadian police arrested three men in a terrorism investigation in Toronto on Monday."),
    ("en", "Police arrested three men on terror charges in Toronto on Monday."),
    ("nl", "De politie heeft maandag in Rotterdam drie mannen aangehouden in een terrorismeonderzoek."),
])
def test_an_arrest_in_a_terrorism_case_is_an_event(language, text):
    assert [e.type for e in _events(language, text)] == ["arrest"]


def test_a_call_for_protests_or_a_ceasefire_is_no_incitement():
    assert not [e for e in _events("en", "The opposition called for protests in Minsk on Sunday.")
                if e.type == "incitement"]


def test_a_seizure_of_drugs_is_no_event():
    # "nam ... in beslag" takes no town ("nam ... in"), and without arms it is no seizure of weapons
    assert _events("nl", "De politie nam vrijdag twee kilo cocaïne in beslag.") == ()


def test_suicide_bombers_who_struck_are_no_air_strike():
    events = [e for e in _events("en", "Four suicide bombers struck a market in Maiduguri on Wednesday.")
              if e.modality == "asserted"]
    assert [(e.type, e.subtype) for e in events] == [("attack", "suicide_bombing")]


@pytest.mark.parametrize("language, text", [
    ("en", "Islamic State captured the town of Hit on Sunday after Iraqi forces pulled out. The militants had attacked "
           "the town with car bombs on Thursday."),
    ("nl", "IS veroverde zondag de stad Hit nadat het Iraakse leger zich had teruggetrokken. De jihadisten hadden de "
           "stad donderdag met autobommen aangevallen."),
])
def test_a_town_taken_after_a_withdrawal_is_no_transfer_where_the_text_tells_of_fighting(language, text):
    first = [e for e in _events(language, text) if e.modality == "asserted"][0]
    assert (first.type, first.subtype, first.acled_sub_event_type) == (
        "armed_clash", "territory_taken", "Non-state actor overtakes territory")


@pytest.mark.parametrize("language, text", [
    ("en", "A car bomb exploded in Kabul on Monday. The attack killed twelve people."),
    ("nl", "Een autobom ontplofte maandag in Kabul. De aanslag kostte twaalf mensen het leven."),
])
def test_a_definite_noun_after_its_event_still_refers_back_to_it(language, text):
    events = _events(language, text)
    assert [(e.type, e.subtype, e.fatalities.min if e.fatalities else None) for e in events] == [
        ("attack", "bombing", 12)]


@pytest.mark.parametrize("language, text", [
    ("nl", "Een helikopter van de Syrische luchtmacht gooide zaterdag vatenbommen op Aleppo."),
    ("en", "Government helicopters dropped barrel bombs on Aleppo on Sunday."),
])
def test_barrel_bombs_are_an_air_strike(language, text):
    asserted = [e for e in _events(language, text) if e.modality == "asserted"]
    assert [(e.type, e.subtype, e.acled_sub_event_type) for e in asserted] == [
        ("remote_violence", "air_strike", "Air/drone strike")]
    assert asserted[0].location.name == "Aleppo"


@pytest.mark.parametrize("language, text, expected", [
    # a weapon as the subject of a killing verb: a weapon was used, an attack (the killing alone is ACLED-less)
    ("en", "A bomb killed twelve people in Kabul on Monday.", ("attack", "bombing")),
    ("nl", "Een bom doodde maandag twaalf mensen in Kabul.", ("attack", "bombing")),
    ("en", "He killed his wife at home on Monday.", ("killing", None)),
])
def test_a_weapon_that_kills_makes_an_attack(language, text, expected):
    assert [(e.type, e.subtype) for e in _events(language, text) if e.modality == "asserted"] == [expected]
