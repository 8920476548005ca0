"""The parameters of the demo world's behaviour: how many vehicles, how they load, how stations fail, how
officers and parties act. The year's figures (cases, the non-site share, big fines, suspensions, court
applications, transfers, first-violation exemptions) are not written anywhere: they come out of these
behaviours run through the platform's real pipelines and case actions. docs/simulation.md explains each
number and the 2023 figures it was tuned against. Volumes are per year at --scale 1.
"""

from __future__ import annotations

# ── The fleet ─────────────────────────────────────────────────────────────────────────────────────────
TRUCKS = 300_000  # goods vehicles that pass Jiaxing's stations in a year (most of them now and then)
COMPANIES = 400  # transport companies owning part of the Jiaxing-registered fleet
OWNED_BY_COMPANY = 0.55  # of Jiaxing-registered trucks (浙F)
ROGUE_COMPANIES = 0.1  # companies that load their trucks over the limit as a practice …
ROGUE_HABITUAL = 0.12  # … so that this share of their trucks overload habitually
DRIVERS = 2_000  # people who drive for others (parties of on-site cases that are not the owner)
# (axles, combination, share of single-drive-axle tractors, weight): goods vehicles at Chinese WIM stations
AXLE_CLASSES = [
    (2, False, 0.0, 38),
    (3, False, 0.0, 8),
    (3, True, 0.0, 2),
    (4, False, 0.0, 6),
    (4, True, 0.0, 4),
    (5, True, 0.10, 8),
    (6, True, 0.10, 34),
]
# Province of the plate, its weight, and (letters, registration region codes) within it.
PLATE_REGIONS = [
    ("浙", 70, ("FFFFFFABEDH", ("330400",) * 6 + ("330100", "330200", "330500", "330600", "331000"))),
    ("沪", 10, ("ABDE", ("310000",) * 4)),
    ("苏", 12, ("EFUA", ("320500", "320600", "320200", "320100"))),
    ("皖", 5, ("ABPS", ("340100", "340200", "341500", "341300"))),
    ("赣", 3, ("AC", ("360100", "360900"))),
]

# ── How they load ─────────────────────────────────────────────────────────────────────────────────────
HABITUAL_SHARE = 0.0001  # trucks that run overloaded habitually
HABITUAL_TRIPS = (0.3, 0.9)  # the share of such a truck's trips that are overloaded (uniform between)
OCCASIONAL_TRIPS = 0.0008  # any other truck, on any trip
OVERLOAD_RATE_MIN = 0.02  # 超限率 of an overloaded trip: this much plus an exponential spread …
OVERLOAD_RATE_MEAN = 0.14  # … with this mean (most run a little over, within the weighing tolerance)
OVERLOAD_RATE_MAX = 1.71  # the report's worst: 28 cross-province vehicles up to 171% over
EXTREME_SHARE = 0.02  # of habitual overloaders: the extreme ones, uniform from EXTREME_FROM to the maximum
EXTREME_FROM = 0.5
HUNDRED_TONNE_SHARE = 0.004  # of six-axle trucks: "百吨王" loaded over 100 t when they overload
EMPTY_LOAD = (0.35, 0.98)  # load of a lawful trip, as a share of the limit (uniform)

# ── Traffic ───────────────────────────────────────────────────────────────────────────────────────────
PASSAGES_PER_DAY = 14_000  # all stations together, on a weekday
WEEKEND_FACTOR = 0.8
HOLIDAY_FACTOR = 0.45  # on the statutory holidays (Spring Festival and others)
STATION_WEIGHT = {"border": 1.3, "hub": 1.2, "trunk": 1.0, "bridge": 0.9}
SECOND_PASS = 0.45  # share of trips that pass a second station of the network within the trip window
SECOND_PASS_MINUTES = (20, 150)

# ── Sensors ───────────────────────────────────────────────────────────────────────────────────────────
FAULTY_RECORDS = 0.012  # records a sensor spoils (unreadable plate, axle sum off, speed out of range …)
LAPSED_CALIBRATION = ("JX-WIM-13", 0.55, 21)  # this station's certificate lapses for 21 days mid-year

# ── Officers and parties ──────────────────────────────────────────────────────────────────────────────
DISMISS_SHARE = 0.04  # findings an officer sets aside at review (a plate misread, a vehicle on permit …)
DEFENCE_SHARE = 0.06  # parties who state a defence within the window
PAY_ON_TIME = 0.8885  # of fined parties
PAY_LATE = 0.11  # pay after the deadline (with the late fee); the rest never pay
REVIEW_DELAY_DAYS = (1, 3)  # from detection to the officer's review
STEP_DELAY_DAYS = (1, 4)  # between an officer's steps
PAY_DELAY_DAYS = (2, 14)  # from service to payment, for those who pay on time
LATE_PAY_DAYS = (3, 40)  # past the deadline, for those who pay late

# ── On-site inspections and complaints (cases per year at --scale 1) ───────────────────────────────────
# violation code: cases a year, spread over the working days
ON_SITE = {
    "CX-01": 1100,  # overload found by officers at a static weighing point
    "CC-01": 600,  # oversize dimensions
    "KY-01": 260,  # unlicensed passenger transport (黑车)
    "WY-01": 120,
    "WY-02": 340,
    "WY-03": 300,
    "WY-04": 30,  # a platform dispatching to cars without the transport certificate
    "DY-01": 380,
    "KY-02": 200,
    "WH-01": 45,
    "ZT-02": 60,
    "SL-02": 90,
    "GK-01": 25,
}
COMPLAINT_SHARE = 0.08  # of on-site cases, those that began with a complaint
FIRST_VIOLATION = {"CX-01": 0.6, "CC-01": 0.7, "KY-02": 0.5, "SL-02": 0.6}  # share that qualify and sign
CRIMINAL_TRANSFER = {"WH-01": 0.2, "KY-01": 0.03}  # share handed to the police (涉嫌犯罪)
TIER_WEIGHTS = (0.55, 0.3, 0.15)  # lightest tier first, where an item has several

# ── Oversize-transport permits ────────────────────────────────────────────────────────────────────────
PERMIT_APPLICATIONS = 1_500  # applications a year to the road transport squadron
PERMIT_ENGINEER_PASSES = (
    0.6  # of those without a passable route, the share a bridge engineer passes with conditions
)
