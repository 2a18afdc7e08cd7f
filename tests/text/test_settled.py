"""What says, in a thread, that the problem a customer complained of is settled: nothing is left to take private.

The first texts are real replies from the TWCS rows in shared/data, each after a complaint and before the reply that
had to offer a private channel."""

from __future__ import annotations

import pytest

from auditor.text.settled import says_settled


@pytest.mark.parametrize("text", [
    "@Ask_Spectrum Came back on this morning",
    "@VerizonSupport I finally got someone that helped me, thanks!",
    "@AskPlayStation I restarted and it downloaded now.",
    "@ChipotleTweets No worries. I got my four burrito bowls without issue.",
    "@acme all sorted now, thanks!", "@acme it works now", "@acme Never mind, it arrived this morning 🙂",
    "@acme it's back up, thank you", "@acme Problem solved!", "@acme the update fixed it",
])
def test_the_problem_said_to_be_settled(text):
    assert says_settled(text)


@pytest.mark.parametrize("text", [
    "@acme thanks!", "@acme still down", "@acme it came back on but keeps dropping", "@acme it works now?",
    "@acme it worked for a day, now it's broken again", "@acme no it is not fixed", "@acme fixed my foot, still broken",
    "@acme it downloaded but won't install", "@acme Came back on this morning. Went off again at noon.",
    "@acme it was fine without issue until today", "@acme got someone that helped me? no",
    "@acme Erica on the lax team is amazing give her a raise ty", "@acme Sure thing!",
    # shared/data/twcs: a wish, someone else's, none of it, found that something is so
    "@CoxHelp It needs to be fixed. Permanently. Now.", "@116302 @Tesco glad your sorted!",
    "@AppleSupport They could nothing worked. I went into the Apple store",
    "@Tesco put 6 pack back on shelf &amp; found it was cheaper than 4 pack!",
    # what someone else says of it, how long it lasted, what is missing
    "@acme Tracking says it arrived. Nothing on my doorstep.", "@acme You closed my ticket as resolved. Nobody called.",
    "@acme Came back on for 5 minutes", "@acme Worked for a day", "@acme it worked once", "@acme fixed for now",
    "@acme the app shows it as delivered", "@acme apparently it's fixed, we'll see",
    "@acme It arrived... with the screen smashed 🙄", "@acme all good, I'm switching to WidgetCo",
])
def test_anything_less_or_more_is_not(text):
    assert not says_settled(text)
