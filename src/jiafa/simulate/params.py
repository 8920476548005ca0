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
ROGUE_COMPANIES = 0.12  # companies that load their trucks over the limit as a practice …
ROGUE_HABITUAL = 0.15  # … so that this share of their trucks overload habitually
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
PAY_LATE = 0.10953  # pay after the deadline (with the late fee); the rest (0.197%) never pay: demand, court
# The year opens with the fines of the year before that will never be paid, decided in its second half: they
# reach the court this year, once the six-month lawsuit period has passed. The year before is taken at this
# year's rate: 0.197% of about 7,000 fines a year, over the six and a half months from mid-June (whose
# decisions reach the court in the next year). Each is registered on a working day from UNPAID_FROM up to
# UNPAID_LAST_DAYS working days before the year ends, and decided a few weeks later.
UNPAID_AT_START = 8
UNPAID_FROM = (6, 1)
UNPAID_LAST_DAYS = 20
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
    "ZT-02": 60,  # muck found by patrols, handed over
    # Waterway cases officers meet on patrol. Those the waterway module's detection finds (about 44 SL-02 and
    # 19 GK-01 a year: simulate/waterway.py) are not counted again here: 90 and 25 a year in all.
    "SL-02": 46,
    "GK-01": 6,
}
COMPLAINT_SHARE = 0.08  # of on-site cases, those that began with a complaint
FIRST_VIOLATION = {"CX-01": 0.6, "CC-01": 0.7, "KY-02": 0.5, "SL-02": 0.6}  # share that qualify and sign
CRIMINAL_TRANSFER = {"WH-01": 0.2, "KY-01": 0.03}  # share handed to the police (涉嫌犯罪)
TIER_WEIGHTS = (0.55, 0.3, 0.15)  # lightest tier first, where an item has several
# Items whose heaviest tier is for the serious few, drawn as rare conduct over the year's cases (the others
# get the lightest): a company over the fleet share is ordered to suspend business (停业整顿), its licence
# revoked only where it is serious (the report counts 39 suspensions).
SERIOUS = {"CX-06": 0.1}

# ── Oversize-transport permits ────────────────────────────────────────────────────────────────────────
PERMIT_APPLICATIONS = 1_500  # applications a year to the road transport squadron
PERMIT_ENGINEER_PASSES = (
    0.6  # of those without a passable route, the share a bridge engineer passes with conditions
)

# ── Waterways (simulate/waters.py, simulate/voyages.py, simulate/waterway.py) ───────────────────────────
# The register: zones along the waterways (the geography does not scale), and the vessels that work them.
ZONES = {"dock": 30, "berth": 20, "unlicensed": 10, "loading": 8, "dumping": 5}  # 码头, 泊位, 无证码头 …
VESSELS = 1_500  # registered vessels that work Jiaxing's waters
MUCK_SHARE = 0.12  # of vessels: muck carriers (渣土船)
WORK_SHARE = 0.02  # of vessels: work boats (工程船)
COMPANY_OWNED = 0.2  # of vessels: owned by a shipping company; the rest by a family (个体船东)
LAID_UP = 0.03  # of cargo vessels: laid up all year, AIS off (whose identity a vessel may borrow)
MUCK_PERMITTED = 0.9  # of muck vessels: hold a muck-transport permit, renewed each year (the rest lie idle)
EXPIRED_CERTIFICATE = 0.04  # of vessels: a certificate lapsed before or during the year, not renewed
# Traffic. A cargo vessel works the city's waters on this share of days; a muck vessel with a permit on this
# share of working days (building sites work on working days), one or two rounds from its loading site to its
# dumping site. Vessels sail between 05:00 and 23:30 (a trip ends the day it begins).
CARGO_TRIP_DAYS = 0.11
MUCK_WORK_DAYS = 0.6
MUCK_ROUNDS = (1, 2)
SPEED_KN = (5.0, 9.0)  # over ground, per trip
DOCK_MINUTES = (60, 180)  # a cargo vessel loading or unloading at a dock or berth
MUCK_LOAD_MINUTES = (50, 110)
MUCK_UNLOAD_MINUTES = (35, 70)
DOCK_STOP = 0.5  # of trips passing through: a stop at a dock on the way
# What the receivers keep: one position a vessel every this many seconds under way and stopped (AIS sends
# every 2–10 s under way and every 3 min at berth; a shore network stores a thinned track), and a static
# report (type 5, with the name) at the start of each trip.
AIS_INTERVAL_S = (180, 360)
# Waiting: vessels wait at a lock for it to open, and at a narrow bridge for oncoming traffic (避让), inside
# the no-berthing zone there: the innocent stops the detection flags and the check sets aside.
LOCK_WAIT = (0.0012, 15, 70)  # share of vessels passing a lock that wait in the zone, minutes (uniform)
BRIDGE_WAIT = (0.0002, 10, 45)  # share passing a bridge's no-berthing zone that wait there, minutes
# Camera checkpoints read the name painted on the hull: most reads are right and confident; a misread (one
# character wrong) mostly comes with a low confidence, which detection ignores.
OCR_CONFIDENCE = (0.82, 0.99)  # a good read
OCR_MISREAD = 0.03
OCR_MISREAD_CONFIDENT = 0.005  # of misreads: read with a confidence at or above the detection's minimum
# Behaviours: how many vessels a year take each up (at --scale 1, at least one), on which share of their
# trips or rounds (uniform between the two). A few are at it on New Year's Day, the others start on a day of
# the year; each keeps at it until a check proves it (a finding confirmed or handed over) and deters it.
DARK = (50, 0.08, 0.2)  # AIS switched off between checkpoints (family-owned vessels: SL-02 is a master's)
BERTHING = (10, 0.1, 0.3)  # berthing in a no-berthing zone for BERTHING_HOURS
BERTHING_HOURS = (1.0, 5.0)
UNLICENSED = (20, 0.08, 0.2)  # muck vessels loading at an unlicensed point (无证码头) instead of their site
DUMPING = (3, 0.1, 0.3)  # muck vessels dumping outside their dumping site …
DUMPING_DARK = 0.5  # … with the AIS off while they do (then they never reach the site, as far as AIS tells)
CLONES = 3  # vessels that sail under a laid-up vessel's identity (MMSI and name) with their own AIS off
LAPSED_PERMITS = (2, 10, 40)  # muck permits renewed late, a year; days without a valid permit (uniform)
LAPSED_WORK = 0.3  # of working days in the gap, the vessel works anyway
# Officers' checks (核查) of pending waterway findings, on working days.
CHECK_DELAY_DAYS = (1, 4)  # from detection to the check
CHECK_PROVEN = 0.9  # of genuine suspects: the check finds the evidence (the rest are set aside)
# Detection runs on a Monday morning every DETECT_EVERY_WEEKS weeks (and on New Year's morning) over the
# whole lake: each run reads everything taken in so far, so its cost grows through the year; once a run reads
# only the days not yet examined, it can run weekly or nightly.
DETECT_EVERY_WEEKS = 1
