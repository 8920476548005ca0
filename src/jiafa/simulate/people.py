"""The demo bureau's staff: who works in which unit, with which role. Deterministic for a seed."""

from __future__ import annotations

import random
from dataclasses import dataclass

from jiafa.core.roles import Role

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉鹏斌宇浩凯俊峰琳晨"

# Usernames by unit code: short pinyin so officers can type them.
SQUADRON_LOGINS = {
    "330402": "nanhu",
    "330411": "xiuzhou",
    "330421": "jiashan",
    "330482": "pinghu",
    "330424": "haiyan",
    "330481": "haining",
    "330483": "tongxiang",
    "330400-SY": "shuiyun",
    "330400-DY": "daoyun",
}
BUREAU = "330400"
DETACHMENT = "330400-ZFD"
DEMO_PASSWORD = "jiafa-demo-2023"


@dataclass(frozen=True)
class Person:
    username: str
    unit_code: str
    role: Role
    full_name: str
    certificate_no: str


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def staff(seed: int) -> list[Person]:
    rng = random.Random(seed)
    slots: list[tuple[str, str, Role]] = [
        ("admin", BUREAU, Role.ADMIN),
        ("leader", BUREAU, Role.BUREAU_LEADER),
        ("auditor", BUREAU, Role.AUDITOR),
        ("fazhi", DETACHMENT, Role.LEGAL_REVIEWER),
    ]
    for code, login in SQUADRON_LOGINS.items():
        slots += [
            (f"{login}_leader", code, Role.SQUADRON_LEADER),
            (f"{login}_officer1", code, Role.OFFICER),
            (f"{login}_officer2", code, Role.OFFICER),
        ]
    people = []
    for i, (username, code, role) in enumerate(slots, start=1):
        cert = f"330400{i:05d}" if role in (Role.OFFICER, Role.SQUADRON_LEADER, Role.LEGAL_REVIEWER) else ""
        people.append(Person(username, code, role, _name(rng), cert))
    return people
