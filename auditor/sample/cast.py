"""Who takes part in one run of the generator, and the shares asked for: what the story,
the filler and the broadcasts read and write (`generate.Gen` adds the run itself)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from auditor.sample.events import ORD0, Feed, Rng
from auditor.sample.people import ROSTER, STORY_CUSTOMERS, customer_pool, extra_accounts


class Cast(Feed):
    """The cast of a run (support staff, sales reps, customers and their first names), the shares
    asked for, and the story's marks; events go into the buckets of `Feed`."""

    def __init__(self, *, seed: int, customers: int, accounts: int, scale: float, dm_share: float,
                 complaint_share: float, promise_share: float, start: date, end: date) -> None:
        super().__init__(Rng(f"{seed}:story"))  # the story draws from its own stream, days() from one per day
        self.seed = seed
        self.scale = scale
        self.dm_share = dm_share
        self.complaint_share = complaint_share
        self.promise_share = promise_share
        self.start_idx = start.toordinal() - ORD0
        self.end_idx = end.toordinal() - ORD0
        self.marks: dict[str, str] = {}  # story event name -> id
        # The cast: support staff and sales reps (the named ones, then --accounts),
        # the filler's customers, and everyone's first name for greetings.
        taken = {r[0] for r in ROSTER} | set(STORY_CUSTOMERS)
        extra = extra_accounts(accounts)
        self.support_staff = ["lchen", "rpatel", "tnguyen"] + [a[0] for a in extra if a[3] == "support"]
        self.sales = ["jdoe", "mkhan"] + [a[0] for a in extra if a[3] == "sales"]
        taken |= {a[0] for a in extra}
        pool = customer_pool(seed, max(1, customers - len(STORY_CUSTOMERS)), taken)
        self.customers = [h for h, _ in pool]
        self.first = {h: f for h, f in pool}
        self.first.update(STORY_CUSTOMERS)
        self.first.update({r[0]: r[1].split()[0] for r in ROSTER})
        self.first.update({a[0]: a[1].split()[0] for a in extra})
        self.broadcast_texts: defaultdict[tuple[str, str], int] = defaultdict(int)  # (author, text) -> times posted
        self.exhausted: set[str] = set()  # authors whose broadcast variants are all used twice
