"""The demo county: 17 townships and about 750 villages, as in seed 000."""

from __future__ import annotations

import random
from decimal import Decimal

from accounts.models import Role, User
from lianchun.audit import save_audited
from lianchun.demodata import DEMO_PASSWORD, DemoContext

from .models import City, County, PartnerUnit, Province, Standing, Township, Village
from .services import note_standing_change

PROVINCE_CODE = "370000000000"
CITY_CODE = "379900000000"
COUNTY_CODE = "379901000000"
# Two smaller counties beside 清河县 in the same city, so the city's pages have counties to compare.
NEIGHBOURS = [
    ("379902000000", "临水县", ["河口镇", "西岭乡", "白石镇"], [18, 16, 17]),
    ("379903000000", "石门县", ["石门镇", "大王庄乡"], [20, 15]),
]
TOWNSHIP_NAMES = [
    "城关镇",
    "马园镇",
    "东坝镇",
    "石桥乡",
    "柳河镇",
    "杨圩镇",
    "白畈乡",
    "高岭镇",
    "黄垭乡",
    "青坳镇",
    "沙河乡",
    "双埇镇",
    "南湖镇",
    "北山乡",
    "龙泉镇",
    "桃源乡",
    "新集镇",
]
SURNAMES = "李王张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁沈任姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
PLACE_PARTS = [
    "庄",
    "家村",
    "家沟",
    "家湾",
    "圩",
    "畈",
    "垭",
    "坳",
    "氹",
    "埇",
    "营",
    "集",
    "店",
    "寨",
    "岭",
    "河",
    "坪",
    "桥",
    "铺",
    "堡",
]
PREFIXES = [
    "东",
    "西",
    "南",
    "北",
    "前",
    "后",
    "上",
    "下",
    "大",
    "小",
    "新",
    "老",
    "中",
    "高",
    "柳",
    "杏",
    "枣",
    "槐",
    "桃",
    "石",
]
VILLAGES_PER_TOWNSHIP = [48, 44, 46, 41, 45, 43, 47, 42, 44, 46, 43, 45, 44, 42, 46, 45, 43]  # 754 in all
PARTNERS = [
    ("城关街道光明社区居委会", PartnerUnit.Kind.COMMUNITY),
    ("县供电公司", PartnerUnit.Kind.ENTERPRISE),
    ("县农业农村局", PartnerUnit.Kind.DEPARTMENT),
    ("鲁丰食品有限公司", PartnerUnit.Kind.ENTERPRISE),
    ("县人民医院", PartnerUnit.Kind.DEPARTMENT),
]

DEMO_ACCOUNTS = [
    # username, full name, role, township index (None for county roles)
    ("cadre1", "张立新", Role.TOWNSHIP_CADRE, 0),
    ("cadre2", "马晓红", Role.TOWNSHIP_CADRE, 1),
    ("office", "王建国", Role.COUNTY_OFFICE, None),
    ("orgdept", "刘志强", Role.ORG_DEPARTMENT, None),
    ("leader", "陈卫东", Role.COUNTY_LEADER, None),
    ("admin", "系统管理员", Role.ADMINISTRATOR, None),
    ("auditor", "赵审计", Role.SECURITY_AUDITOR, None),
]
CITY_ACCOUNTS = [
    ("cityoffice", "赵明华", Role.CITY_OFFICE),
    ("cityorg", "孙志远", Role.CITY_ORG_DEPARTMENT),
    ("cityleader", "钱国栋", Role.CITY_LEADER),
]


def village_names(rng, count: int, used: set[str]) -> list[str]:
    names = []
    while len(names) < count:
        if rng.random() < 0.55:
            name = rng.choice(SURNAMES) + rng.choice(PLACE_PARTS)
        else:
            name = rng.choice(PREFIXES) + rng.choice(SURNAMES) + rng.choice(PLACE_PARTS)
        if not name.endswith("村"):
            name += "村"
        if name in used:
            continue
        used.add(name)
        names.append(name)
    return names


def build(ctx: DemoContext) -> None:
    province = Province(code=PROVINCE_CODE, name="山东省")
    save_audited(province, by=None, reason="演示数据")
    city = City(province=province, code=CITY_CODE, name="清源市")
    save_audited(city, by=None, reason="演示数据")
    ctx.extra["city"] = city
    county = County(code=COUNTY_CODE, name="清河县", city=city)
    county.full_clean()
    save_audited(county, by=None, reason="演示数据")
    ctx.county = county

    for index, name in enumerate(TOWNSHIP_NAMES, start=1):
        township = Township(county=county, code=f"{COUNTY_CODE[:6]}{100 + index:03d}000", name=name)
        township.full_clean()
        save_audited(township, by=None, reason="演示数据")
        ctx.townships.append(township)

    for username, full_name, role, township_index in DEMO_ACCOUNTS:
        user = User(username=username, full_name=full_name, role=role, county=county)
        if township_index is not None:
            user.township = ctx.townships[township_index]
        if role == Role.ADMINISTRATOR:
            user.county = None
            user.is_staff = True
            user.is_superuser = True
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        ctx.users[username] = user
    for username, full_name, role in CITY_ACCOUNTS:
        user = User(username=username, full_name=full_name, role=role, city=city)
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        ctx.users[username] = user
    office = ctx.users["office"]

    used: set[str] = set()
    build_villages(ctx.rng, ctx, zip(ctx.townships, VILLAGES_PER_TOWNSHIP, strict=True), used, office)
    for name, kind in PARTNERS:
        unit = PartnerUnit(county=county, name=name, kind=kind, contact="李主任")
        save_audited(unit, by=office, reason="演示数据")
    for code, name, township_names, counts in NEIGHBOURS:
        neighbour = County(code=code, name=name, city=city)
        neighbour.full_clean()
        save_audited(neighbour, by=None, reason="演示数据")
        townships = []
        for index, township_name in enumerate(township_names, start=1):
            township = Township(county=neighbour, code=f"{code[:6]}{100 + index:03d}000", name=township_name)
            township.full_clean()
            save_audited(township, by=None, reason="演示数据")
            townships.append(township)
        # Their own random stream, so the demo county's clusters and reports stay as they were.
        build_villages(random.Random(code), ctx, zip(townships, counts, strict=True), used, None)


def build_villages(rng: random.Random, ctx: DemoContext, townships_and_counts, used: set[str], office) -> None:
    for township, count in townships_and_counts:
        for number, name in enumerate(village_names(rng, count, used), start=1):
            households = rng.randint(180, 1100)
            roll = rng.random()
            standing = Standing.LAGGING if roll < 0.12 else Standing.ADVANCED if roll > 0.85 else Standing.AVERAGE
            village = Village(
                township=township,
                code=f"{township.code[:9]}{200 + number:03d}",
                name=name,
                households=households,
                population=int(households * rng.uniform(2.8, 3.6)),
                party_members=rng.randint(15, 90),
                collective_income=Decimal(rng.randint(0, 120) * 5000),
                standing=standing,
                is_weak=standing == Standing.LAGGING and rng.random() < 0.35,
            )
            save_audited(village, by=office, reason="演示数据：初始名册")
            if standing != Standing.AVERAGE:
                note_standing_change(
                    village,
                    previous="",
                    effective_date=ctx.today.replace(year=ctx.today.year - 1, month=1, day=1),
                    reason="年度村级组织分类定级",
                    by=office,
                )
