"""First-person affiliation: the words by which an author says they work for the employer."""

import pytest

from auditor.text.affiliation import find_affiliation

ACME = ("Acme", "@acme")


@pytest.mark.parametrize(("text", "quoted"), [
    ("I work at Acme", "I work at Acme"),
    ("i work for ACME and love it", "i work for ACME"),
    ("I\u2019m working at Acme now", "I\u2019m working at Acme"),
    ("I currently work for Acme", "I currently work for Acme"),
    ("We at Acme just shipped v2", "We at Acme"),
    ("we here at @acme love Fridays", "we here at @acme"),
    ("Join us at Acme!", "us at Acme"),
    ("Here at Acme we care", "Here at Acme"),
    ("At Acme, we believe in boring tech", "At Acme, we"),
    ("Our team at Acme shipped", "Our team at Acme"),
    ("Our support team at Acme is hiring", "Our support team at Acme"),
    ("my colleagues at @acme rock", "my colleagues at @acme"),
    ("I'm the CTO at Acme", "I'm the CTO at Acme"),
    ("I am a senior engineer at Acme", "I am a senior engineer at Acme"),
    ("I'm head of sales at Acme", "I'm head of sales at Acme"),
    ("I'm the founder of Acme", "I'm the founder of Acme"),
    ("As a PM at Acme, I think", "As a PM at Acme"),
    ("I lead design at Acme", "I lead design at Acme"),
    ("I've just joined Acme!", "I've just joined Acme"),
    ("I'm an Acme employee", "I'm an Acme employee"),
    ("Working on the new API at Acme. Stay tuned", "Working on the new API at Acme"),
    ("I'm employed by Acme", "I'm employed by Acme"),
    ("I'm an Acme engineer", "I'm an Acme engineer"),
    ("Disclaimer: Acme employee. The new sync is great", "Disclaimer: Acme employee"),
    ("Disclosure: I work at Acme", "I work at Acme"),
    ("Our Acme team shipped the new app", "Our Acme team"),
    ("I'm an engineer @acme", "I'm an engineer @acme"),
    ("Acme employee here: the outage is fixed", "Acme employee here"),
    # the same in the languages X is most used in beside English
    ("Trabajo en Acme desde 2020", "Trabajo en Acme"),
    ("Je travaille chez Acme", "Je travaille chez Acme"),
    ("Ich arbeite bei Acme", "Ich arbeite bei Acme"),
    ("Trabalho na Acme", "Trabalho na Acme"),
    ("Lavoro per Acme", "Lavoro per Acme"),
    # more of the ways employees say it
    ("As an Acme employee, I can confirm the fix", "As an Acme employee"),
    ("Full disclosure: I'm on the Acme team", "I'm on the Acme team"),
    ("I'm part of the Acme support team", "I'm part of the Acme support team"),
    ("Proud to work at Acme!", "Proud to work at Acme"),
    ("Loving my new job at Acme", "my new job at Acme"),
    ("I work in Acme's support team", "I work in Acme's support team"),
    ("My employer Acme shipped it today", "My employer Acme"),
    ("Acme (my employer) shipped it", "Acme (my employer)"),
    ("Acme, where I work, shipped it", "Acme, where I work"),
    ("We at #Acme just launched", "We at #Acme"),
])
def test_first_person_affiliation(text, quoted):
    found = find_affiliation(text, ACME)
    assert found is not None, text
    assert (found.text, text[found.start : found.end]) == (quoted, quoted)


@pytest.mark.parametrize("text", [
    "Acme's team shipped a new thing",  # third person
    "The Acme team shipped a new thing",
    "I used to work at Acme",  # the past
    "I worked at Acme for ten years",
    "I don't work at Acme",  # a negation
    "I no longer work at Acme",
    "I work with Acme on our integration",  # a partner
    "I'm a customer at Acme",
    "I'm a big fan of Acme",
    "I'm so proud of Acme",
    "I'm waiting at Acme's store",
    "I'm stuck at Acme support",
    "I'm at Acme today for a meeting",
    "my friends at Acme shipped",
    "I joined Acme's webinar",
    "I work at Acmeville",  # another name
    "we at @acme_support",  # another handle
    "We at WidgetCo just shipped",  # another employer
    "I'm an Acme customer", "I'm an Acme fan", "I'm an Acme shareholder",  # a relation, not a job
    "Our Acme order never came", "my Acme account is locked",
    "Trabajaba en Acme",  # the past
    "As an Acme customer, I'm disappointed", "I'm on the Acme waitlist", "Proud of my friend at Acme",
    "my new phone from Acme", "Acme, where I bought my phone, is closed", "my old job at Acme",
    "",
])
def test_no_first_person_affiliation(text):
    assert find_affiliation(text, ACME) is None


def test_a_multi_word_employer_and_no_employer():
    assert find_affiliation("We at Acme   Corp shipped", ("Acme Corp",)).text == "We at Acme   Corp"
    assert find_affiliation("We at Acme shipped", ()) is None


def test_the_employer_is_a_literal():
    assert find_affiliation("I work at A.me", ("A.me",)).text == "I work at A.me"
    assert find_affiliation("I work at Acme", ("A.me",)) is None
    assert find_affiliation("I work at (x", ("(x",)).text == "I work at (x"  # no pattern, no error
    assert find_affiliation("I work at xx", ("(x",)) is None
