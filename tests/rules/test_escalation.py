"""escalation, clause by clause, on small hand-made public threads."""

from __future__ import annotations

import pytest
from msgspec.structs import replace

from auditor.errors import PolicyError
from tests.factories import dm, policy, post, run

COMPLAINT = "@acme_support I was charged twice this month. This is awful and not ok."


def rule(**options):
    base = {"id": "private", "type": "escalation", "severity": "medium", "applies_to": {"accounts": ["acme_support"]}}
    base.update(options)
    return base


def outcome(result):
    return next(r for r in result.rules if r.id == "private")


def figures(result):
    figures = outcome(result).figures
    return figures.checked, figures.passed, figures.failed, figures.pending


def thread(*turns, start="2026-10-20 10:00", customer="kate"):
    """A public back-and-forth: each turn replies to the one before it; the first one is the customer's."""
    posts = []
    hour, minute = (int(x) for x in start.split(" ")[1].split(":"))
    day = start.split(" ")[0]
    for n, text in enumerate(turns):
        author = customer if n % 2 == 0 else "acme_support"
        when = f"{day} {hour + n // 6:02d}:{(minute + 10 * n) % 60:02d}"
        parent = posts[-1] if posts else None
        mentions = ("acme_support",) if parent is None else None
        posts.append(post(author, when, text, reply_to=parent, mentions=mentions))
    return posts


def test_a_reply_that_continues_in_the_counterparts_dm_has_taken_it_private(tmp_path):
    # shared/data/twcs: @AppleSupport's second reply, after the customer had written by DM
    posts = thread(COMPLAINT, "@kate We'd like to look into this with you. Which card was it?",
                   "@acme_support the visa", "@kate Thank you for reaching out. We've received your DM and will "
                   "continue working with you there.")
    result = run(policy(tmp_path, [rule()]), *posts)
    assert figures(result) == (1, 1, 0, 0)
    assert result.findings == ()


def test_a_dm_the_account_sent_in_time_has_taken_it_private(tmp_path):
    posts = thread(COMPLAINT, "@kate so sorry, looking into it now", "ok", "@kate still on it, thanks for waiting")
    taken_private = dm("acme_support", "kate", "2026-10-20 10:16", "Hi Kate, which card was charged twice?")
    result = run(policy(tmp_path, [rule()]), *posts, taken_private)
    assert figures(result) == (1, 1, 0, 0) and result.findings == ()
    # A DM after the second reply came too late: the thread stayed public that long.
    late = dm("acme_support", "kate", "2026-10-20 10:45", "Hi Kate, which card was charged twice?")
    result = run(policy(tmp_path, [rule()]), *posts, late)
    assert [f.check for f in result.findings] == ["no-offer"]
    # Without a DM offer among the rule's channels, a DM is no offer.
    result = run(policy(tmp_path, [rule(offer=["email"])]), *posts, taken_private)
    assert [f.check for f in result.findings] == ["no-offer"]


@pytest.mark.parametrize("praise", [
    "@acme_support the new update killed it, no more crashes!", "@acme_support the new dark mode is 🔥🔥🔥",
    "@acme_support killer update, the battery drain bug is gone", "@acme_support you guys are crushing it",
    "@acme_support never had a single problem with you guys",
    "🎃Thanks @acme_support for my $3 burrito bowl 👻 tonight!",
])
def test_praise_in_slang_is_no_complaint(tmp_path, praise):
    posts = thread(praise, "@kate thank you so much!", "more like this please", "@kate will do!")
    result = run(policy(tmp_path, [rule()]), *posts)
    assert figures(result) == (0, 0, 0, 0) and result.findings == ()


def test_a_complaint_in_spanish_without_a_language_tag_is_not_read_by_english_sentiment(tmp_path):
    # shared/data/twcs: the detector is not 0.9 sure of it, but far surer of Spanish than of English
    posts = thread("@acme_support necesito urgente la actualización de software. La batería me dura literal medio "
                   "día 🙍🏼", "@kate ¿Qué modelo tienes?", "el 8", "@kate Gracias, te escribimos por aquí")
    result = run(policy(tmp_path, [rule()]), *posts)
    assert figures(result) == (0, 0, 0, 0) and result.findings == ()


@pytest.mark.parametrize("lang", [None, "de"])
def test_a_post_in_another_language_is_no_complaint(tmp_path, lang):
    # shared/data/twcs: "Okay, thanks for the info" scores -0.46 to VADER, which reads German "die" as English
    posts = thread("@acme_support Okay, danke für die Info", "@kate Wir haben zu danken. Schönen Abend noch.")
    posts[0].lang = lang
    result = run(policy(tmp_path, [rule()]), *posts)
    assert figures(result) == (0, 0, 0, 0)
    assert result.findings == ()


def test_an_offer_in_the_first_reply_passes(tmp_path):
    posts = thread(COMPLAINT, "@kate so sorry! DM us the card's last 4 digits and we'll refund it")
    result = run(policy(tmp_path, [rule()]), *posts)
    assert figures(result) == (1, 1, 0, 0)
    assert result.findings == ()
    assert outcome(result).figures.metrics["offered_in_time"] == 1


@pytest.mark.parametrize(("reply", "channel"), [
    ("@kate sorry! Please email billing@acme.example with the details", "email"),
    ("@kate sorry! Call us at 1-800-555-0100", "phone"),
    ("@kate sorry! Refund form: https://help.acme.example/refund", "url"),
    ("@kate sorry! Check your DMs", "dm"),
])
def test_every_channel_counts_as_an_offer(tmp_path, reply, channel):
    posts = thread(COMPLAINT, "@kate which plan are you on?", "Business.", reply)
    result = run(policy(tmp_path, [rule()]), *posts)
    assert figures(result) == (1, 1, 0, 0)


def test_no_offer_by_the_second_reply_is_a_finding(tmp_path):
    posts = thread(COMPLAINT, "@kate sorry to hear! Which plan?", "Business, annual.",
                   "@kate did you change your card?", "No.", "@kate OK, DM us then")
    result = run(policy(tmp_path, [rule()]), *posts)
    assert figures(result) == (1, 0, 1, 0)
    [finding] = result.findings
    assert (finding.status, finding.check, finding.counterpart) == ("no-offer", "no-offer", "kate")
    assert finding.message == ('@kate complained in public ("I was charged twice this month. This is awful and not '
                               'ok.") and the first 2 public replies offered no DM, e-mail, phone or link')
    assert [(e.id, e.role) for e in finding.evidence] == [
        (posts[0].id, "complaint"), (posts[1].id, "reply"), (posts[3].id, "reply"),
    ]
    assert finding.measure["public_replies"] == 3
    assert finding.measure["offered"] is None


@pytest.mark.parametrize("settled", ["Came back on this morning", "I finally got someone that helped me, thanks!",
                                     "No worries. I got my four burrito bowls without issue."])
def test_a_problem_settled_in_public_before_the_offer_was_due_needs_no_offer(tmp_path, settled):
    # shared/data/twcs (Spectrum, Verizon, Chipotle): nothing was left to take private.
    posts = thread(COMPLAINT, "@kate sorry to hear! How can we help?", settled, "@kate Awesome! We're here if you need us.")
    result = run(policy(tmp_path, [rule()]), *posts)
    assert figures(result) == (1, 1, 0, 0)
    assert result.findings == ()
    assert outcome(result).figures.metrics["settled_in_public"] == 1
    assert outcome(result).figures.metrics["offered_in_time"] == 0  # nothing was offered
    # Thanks after it take nothing back (shared/data/twcs, Spectrum: "Came back on this morning", then "Thank you").
    [complaint] = thread(COMPLAINT)
    back = post("kate", "2026-10-20 10:05", settled, reply_to=complaint, mentions=("acme_support",))
    great = post("acme_support", "2026-10-20 10:10", "@kate OK great, we will be here if the issues return.",
                 reply_to=back)
    thanks = post("kate", "2026-10-20 10:15", "Thank you", reply_to=great, mentions=("acme_support",))
    welcome = post("acme_support", "2026-10-20 10:20", "@kate You're welcome.", reply_to=thanks)
    assert figures(run(policy(tmp_path, [rule()]), complaint, back, great, thanks, welcome)) == (1, 1, 0, 0)
    # Before one reply was due, it is not pending either.
    result = run(policy(tmp_path, [rule()]), *posts[:3])
    assert figures(result) == (1, 1, 0, 0) and result.findings == ()


def test_a_problem_said_settled_after_the_offer_was_due_or_taken_back_is_still_a_finding(tmp_path):
    late = thread(COMPLAINT, "@kate sorry! Which plan?", "Business", "@kate did you change your card?",
                  "all sorted now, thanks!")
    taken_back = thread(COMPLAINT, "@kate sorry! Which plan?", "it came back on but keeps dropping",
                        "@kate did you restart it?")
    back_down = thread(COMPLAINT, "@kate sorry! Which plan?", "it's back up", "@kate great!")
    back_down.insert(3, post("kate", "2026-10-20 10:25", "down again. useless", reply_to=back_down[2],
                             mentions=("acme_support",)))
    for posts in (late, taken_back, back_down):
        result = run(policy(tmp_path, [rule()]), *posts)
        assert [f.check for f in result.findings] == ["no-offer"]
        assert outcome(result).figures.metrics["settled_in_public"] == 0


def test_a_stray_reply_with_no_words_is_no_reply(tmp_path):
    # shared/data/twcs (AirAsiaSupport): "@115797 H", sent 81 s before the real reply "Kindly DM us...".
    complaint, first = thread(COMPLAINT, "@kate sorry to hear that! Which booking?")
    stray = post("acme_support", "2026-10-20 10:20", "@kate H", reply_to=complaint)
    offer = post("acme_support", "2026-10-20 10:21", "@kate Kindly DM us your booking number", reply_to=complaint)
    result = run(policy(tmp_path, [rule()]), complaint, first, stray, offer)
    assert figures(result) == (1, 1, 0, 0) and result.findings == ()


def test_too_many_public_replies_even_after_an_offer(tmp_path):
    posts = thread(COMPLAINT, "@kate DM us please", "I'd rather do it here", "@kate ok, which plan?", "Business",
                   "@kate thanks", "still no refund", "@kate checking", "??", "@kate refunded")
    result = run(policy(tmp_path, [rule()]), *posts)
    assert figures(result) == (1, 0, 1, 0)
    [finding] = result.findings
    assert finding.check == "too-many-public-replies"
    assert finding.message == ('public back-and-forth with @kate ran to 5 replies (max 4) after the complaint '
                               '"I was charged twice this month. This is awful and not ok."')
    assert len(finding.evidence) == 6
    assert (finding.measure["offered"], finding.measure["offered_words"], finding.measure["offer_reply"]) == (
        "dm", "DM us", 1)


def test_a_thread_can_fail_both_ways_with_two_findings(tmp_path):
    posts = thread(COMPLAINT, *[text for n in range(6) for text in (f"@kate question {n}?", f"answer {n}")])
    result = run(policy(tmp_path, [rule()]), *posts)
    assert figures(result) == (1, 0, 1, 0)
    assert sorted(f.check for f in result.findings) == ["no-offer", "too-many-public-replies"]
    assert outcome(result).figures.metrics == {
        "threads": 1, "offered_in_time": 0, "settled_in_public": 0, "cannot_tell": 0, "no_offer": 1,
        "too_many_public_replies": 1, "pending": 0, "median_public_replies": 6,
    }


def test_fewer_replies_than_within_replies_without_an_offer_is_pending(tmp_path):
    posts = thread(COMPLAINT, "@kate sorry! Which plan are you on?")
    result = run(policy(tmp_path, [rule()]), *posts)
    assert figures(result) == (0, 0, 0, 1)
    [finding] = result.findings
    assert finding.status == "pending"
    assert finding.message == ('@kate complained in public ("I was charged twice this month. This is awful and not '
                               'ok."); 1 public reply so far and no DM, e-mail, phone or link offered yet '
                               "(due by reply 2)")


def test_within_replies_and_offer_are_options(tmp_path):
    posts = thread(COMPLAINT, "@kate which plan?", "Business", "@kate DM us")
    assert figures(run(policy(tmp_path, [rule()]), *posts)) == (1, 1, 0, 0)
    assert figures(run(policy(tmp_path, [rule(within_replies=1)]), *posts)) == (1, 0, 1, 0)
    assert figures(run(policy(tmp_path, [rule(offer=["email", "phone"])]), *posts)) == (1, 0, 1, 0)


def test_company_domains_limit_which_links_count(tmp_path):
    posts = thread(COMPLAINT, "@kate see https://bit.ly/xyz for refunds")
    assert figures(run(policy(tmp_path, [rule(within_replies=1)]), *posts)) == (1, 1, 0, 0)
    strict = rule(within_replies=1, company_domains=["acme.example"])
    assert figures(run(policy(tmp_path, [strict]), *posts)) == (1, 0, 1, 0)
    posts = thread(COMPLAINT, "@kate see https://help.acme.example/refunds")
    assert figures(run(policy(tmp_path, [strict]), *posts)) == (1, 1, 0, 0)


def test_no_complaint_or_no_reply_is_not_a_thread(tmp_path):
    happy = thread("@acme_support thanks, the new release is great!", "@kate glad you like it!")
    unanswered = thread(COMPLAINT, customer="bob")
    result = run(policy(tmp_path, [rule()]), *happy, *unanswered)
    assert figures(result) == (0, 0, 0, 0)


def test_the_thread_starts_at_the_first_complaint(tmp_path):
    question = "@acme_support which plan has SSO?"
    posts = thread(question, "@kate Business and up: https://acme.example/pricing",
                   "That's awful, terrible pricing, I hate it", "@kate sorry to hear that", "so?",
                   "@kate we're always looking at pricing")
    result = run(policy(tmp_path, [rule()]), *posts)
    assert figures(result) == (1, 0, 1, 0)  # the link before the complaint is not an offer after it
    [finding] = result.findings
    assert [e.id for e in finding.evidence] == [posts[2].id, posts[3].id, posts[5].id]
    assert finding.check == "no-offer"
    assert finding.measure["public_replies"] == 2
    assert finding.measure["offered"] is None


def test_replies_to_someone_else_in_the_conversation_do_not_count(tmp_path):
    posts = thread(COMPLAINT, "@kate sorry! Which plan?")
    other = post("acme_support", "2026-10-20 12:00", "@bob hi", reply_to=post("bob", "2026-10-20 11:55", "@kate me too",
                 reply_to=posts[1], mentions=("kate",)))
    result = run(policy(tmp_path, [rule()]), *posts, other)
    assert figures(result) == (0, 0, 0, 1)


def test_threads_belong_to_the_period_of_their_first_complaint(tmp_path):
    september = thread(COMPLAINT, "@kate which plan?", "Business", "@kate OK", start="2026-09-30 10:00")
    october = thread(COMPLAINT, "@bob which plan?", "Business", "@bob OK", start="2026-10-30 10:00", customer="bob")
    result = run(policy(tmp_path, [rule()]), *september, *october)
    assert [f.counterpart for f in result.findings] == ["bob"]


def test_within_replies_above_max_public_replies_is_a_policy_error(tmp_path):
    with pytest.raises(PolicyError) as caught:
        policy(tmp_path, [rule(within_replies=5, max_public_replies=4)])
    [line] = caught.value.lines()
    assert "within_replies (5) cannot be more than max_public_replies (4)" in line


@pytest.mark.parametrize(("text", "said"), [
    ("@acme.bsky.social my sync is broken", "my sync is broken"),
    ("@carol@mastodon.social @acme@mastodon.social the app crashed", "the app crashed"),
    ("@acme_support @lchen my order is late", "my order is late"),
])
def test_a_complaint_is_quoted_from_its_first_word_after_the_handles_of_any_network(text, said):
    # The quote in a finding's message must not begin with a piece of the account's own handle.
    from auditor.rules.escalation import _LEADING_HANDLES

    assert _LEADING_HANDLES.sub("", text) == said


def deleted_files():
    return post("bob", "2026-10-05 14:00", "@acme_support your update deleted all my files, this is terrible",
                mentions=("acme_support",), conversation="c1")


def test_an_offer_in_the_accounts_own_continuation_of_a_reply_counts(tmp_path):
    complaint = deleted_files()
    first = post("acme_support", "2026-10-05 14:10", "@bob We're so sorry, Bob. (1/2)", reply_to=complaint,
                 conversation="c1")
    second = post("acme_support", "2026-10-05 14:10", "@bob Please DM us the e-mail on your account. (2/2)",
                  reply_to=first, mentions=("bob",), conversation="c1")
    later = post("acme_support", "2026-10-05 15:00", "@bob Talk soon.", reply_to=complaint, conversation="c1")
    result = run(policy(tmp_path, [rule()]), complaint, first, second, later)
    assert figures(result) == (1, 1, 0, 0)
    assert outcome(result).figures.metrics["median_public_replies"] == 2  # the two parts are one reply


def test_numbered_parts_that_each_reply_to_the_customer_are_one_reply(tmp_path):
    # shared/data/twcs (AskeBay): "...in your Purchase History.1/2" and "...& we'll advise on this date. 2/2^ML",
    # both replying to the customer's post, 25 seconds apart.
    complaint = deleted_files()
    first = post("acme_support", "2026-10-05 14:10", "@bob We're so sorry, Bob. Let's look.1/2", reply_to=complaint,
                 conversation="c1")
    second = post("acme_support", "2026-10-05 14:11", "@bob Please DM us the e-mail on your account. 2/2^ML",
                  reply_to=complaint, conversation="c1")
    later = [post("acme_support", f"2026-10-05 1{n}:00", "@bob Any luck?", reply_to=complaint, conversation="c1")
             for n in range(5, 8)]
    result = run(policy(tmp_path, [rule()]), complaint, first, second, *later)
    assert figures(result) == (1, 1, 0, 0)  # four replies, not five: no more than max_public_replies
    assert outcome(result).figures.metrics["median_public_replies"] == 4


def test_a_fraction_inside_a_sentence_is_no_numbered_piece(tmp_path):
    from auditor.rules._shared import numbered_part

    assert numbered_part("@bob We're so sorry, Bob. Let's look.1/2") == (1, 2)
    assert numbered_part("@bob Please DM us the e-mail on your account. 2/2^ML") == (2, 2)
    assert numbered_part("@bob (2/3) and the label is on its way") == (2, 3)
    assert numbered_part("d you please send me the bottom most row of digits from your receipt. - Nick 3/3") == (3, 3)
    assert numbered_part("@bob your parcel shipped 1/5 of the way and is moving") is None
    assert numbered_part("@bob We see 3/5 parcels are delayed") is None


def test_a_reply_to_another_customer_that_addresses_this_one_counts_for_them(tmp_path):
    complaint = post("bob", "2026-10-05 14:00", "@acme_support the app crashes on every launch, terrible and useless",
                     mentions=("acme_support",), conversation="c1")
    sorry = post("acme_support", "2026-10-05 14:10", "@bob Sorry about that, Bob.", reply_to=complaint,
                 conversation="c1")
    carol = post("carol", "2026-10-05 14:15", "@acme_support @bob same here, awful", reply_to=sorry,
                 mentions=("acme_support", "bob"), conversation="c1")
    both = post("acme_support", "2026-10-05 14:20", "@carol @bob Please both DM us your device model.",
                reply_to=carol, mentions=("carol", "bob"), conversation="c1")
    result = run(policy(tmp_path, [rule()]), complaint, sorry, carol, both)
    bob = [c for c in outcome(result).checks if c.counterpart == "bob"]
    assert [c.status for c in bob] == ["passed"]


def test_a_passing_mention_complains_only_when_its_sentence_naming_the_account_does(tmp_path):
    # The contract's example: a rant at another airline that praises the account is no complaint to it.
    praise = post("rita", "2026-10-05 14:00", "@OtherAir #greed every time I fly with you. I am switching to "
                  "@acme_support, they rock!", mentions=("otherair", "acme_support"), conversation="c1")
    reply = post("acme_support", "2026-10-05 14:10", "@rita welcome aboard!", reply_to=praise, conversation="c1")
    assert figures(run(policy(tmp_path, [rule()]), praise, reply)) == (0, 0, 0, 0)
    # Named in passing in a sentence that complains: a complaint.
    rant = post("sam", "2026-10-06 14:00", "@OtherAir fine. My order from @acme_support is two weeks late, terrible "
                "service", mentions=("otherair", "acme_support"), conversation="c2")
    answer = post("acme_support", "2026-10-06 14:10", "@sam sorry to hear that", reply_to=rant, conversation="c2")
    assert figures(run(policy(tmp_path, [rule(within_replies=1)]), rant, answer)) == (1, 0, 1, 0)


# -- what the public back-and-forth counts, and when an offer was made ----------------------------------------


def test_pleasantries_after_the_offer_are_no_back_and_forth(tmp_path):
    posts = thread(COMPLAINT, "@kate So sorry! Please DM us your order number.", "@acme_support DM sent",
                   "@kate Got it, thanks!", "@acme_support thank you!", "@kate Glad we could help!",
                   "@acme_support 👍", "@kate 🙌 Have a great day", "@acme_support you too!", "@kate 😊")
    result = run(policy(tmp_path, [rule()]), *posts)
    assert figures(result) == (1, 1, 0, 0), [f.message for f in result.findings]


def test_replies_to_another_customer_that_x_prefixed_with_this_ones_handle_are_not_theirs(tmp_path):
    bob = post("bob", "2026-10-20 10:00", "@acme_support Router dead again after your update. Awful.",
               mentions=("acme_support",))
    offer = post("acme_support", "2026-10-20 10:10", "@bob So sorry Bob, please DM us your account number", reply_to=bob)
    carol = post("carol", "2026-10-20 10:20", "@bob @acme_support how do I reset mine?", reply_to=bob,
                 mentions=("bob", "acme_support"))
    answers = [post("acme_support", f"2026-10-20 10:{30 + n}", f"@carol @bob Hi Carol! Step {n}: hold the button",
                    reply_to=carol, mentions=("carol", "bob")) for n in range(4)]
    result = run(policy(tmp_path, [rule()]), bob, offer, carol, *answers)
    assert figures(result) == (1, 1, 0, 0), [f.message for f in result.findings]


def test_an_offer_made_in_the_conversation_before_the_complaint_counts(tmp_path):
    ask = post("tom", "2026-10-20 10:00", "@acme_support my order 5531 hasn't arrived yet, can you check?",
               mentions=("acme_support",))
    offer = post("acme_support", "2026-10-20 10:10", "@tom Please DM us your order number and e-mail address",
                 reply_to=ask)
    complaint = post("tom", "2026-10-20 11:00", "@acme_support You charged me twice and nobody answers. Unacceptable.",
                     reply_to=offer)
    one = post("acme_support", "2026-10-20 11:10", "@tom The second charge is being reversed", reply_to=complaint)
    two = post("acme_support", "2026-10-20 11:20", "@tom The courier has it now", reply_to=one, mentions=("tom",))
    result = run(policy(tmp_path, [rule()]), ask, offer, complaint, one, two)
    assert figures(result) == (1, 1, 0, 0), [f.message for f in result.findings]


def test_condolences_to_an_employee_are_no_complaint(tmp_path):
    news = post("jdoe", "2026-10-20 09:00", "Back at work next week")
    friend = post("priya_k", "2026-10-20 10:00", "@jdoe So sorry to hear about your dad, that's awful. Thinking of you",
                  reply_to=news)
    thanks = post("jdoe", "2026-10-20 10:10", "@priya_k Thank you Priya, that means a lot", reply_to=friend)
    more = post("jdoe", "2026-10-20 10:20", "@priya_k I'll bring the good beans", reply_to=thanks, mentions=("priya_k",))
    result = run(policy(tmp_path, [rule(applies_to={"accounts": ["jdoe"]})]), news, friend, thanks, more)
    assert figures(result) == (0, 0, 0, 0)


def test_without_the_accounts_dms_a_thread_they_say_went_to_dm_cannot_be_told(tmp_path):
    complaint = post("mia", "2026-10-20 10:00", "@acme_support Charged twice and nobody answers. Unacceptable.",
                     mentions=("acme_support",))
    one = post("acme_support", "2026-10-20 10:10", "@mia So sorry Mia, we're on it.", reply_to=complaint)
    got = post("mia", "2026-10-20 10:30", "@acme_support thanks, got your message", reply_to=one,
               mentions=("acme_support",))
    two = post("acme_support", "2026-10-20 10:40", "@mia The refund is on its way", reply_to=got)
    # the file holds someone's DMs, not @acme_support's
    result = run(policy(tmp_path, [rule()]), complaint, one, got, two, dm("zed", "lchen", "2026-10-20 09:00"),
                 dms_of=("lchen",))
    assert figures(result) == (0, 0, 0, 0)
    [finding] = result.findings
    assert finding.status == "cannot_tell"
    assert "got your message" in finding.message and "no source holds the DMs of @acme_support" in finding.message
    # with its DMs held, what they show decides: no DM, no offer
    held = run(policy(tmp_path, [rule()]), complaint, one, got, two)
    assert figures(held) == (1, 0, 1, 0)
    # and without its DMs, a thread where nobody speaks of a DM is judged on what is public
    quiet = replace(got, text="@acme_support still waiting")
    assert figures(run(policy(tmp_path, [rule()]), complaint, one, quiet, two, dms_of=("lchen",))) == (1, 0, 1, 0)
