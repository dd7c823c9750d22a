#!/usr/bin/env python3
"""Generate a fictional county investment-attraction ledger (招商引资台账) of any size.

    python3 bench/generate.py --rows N --out DIR [--seed S] [--lang en|zh] [--encoding utf-8|gb18030]

Writes DIR/projects.csv, DIR/units.csv and DIR/schema.toml (lang en) or DIR/项目.csv, DIR/单位.csv
and DIR/schema.toml (lang zh). Every name in the output is invented.

Determinism: the same arguments give byte-identical files. All random values are drawn once, as
whole columns, from one numpy Generator seeded with --seed; the language and the encoding only
change how those values are written, so `--lang zh` with a seed is a translation of `--lang en`
with the same seed, row for row.

Speed: nothing is done per row in Python. Columns are arrays of small integer codes; a chunk of
rows is turned into text by looking codes up in vocabularies (numpy object arrays) and joining
with `zip` + `str.join`, which run in C. Ten million rows (1.2 GB) take about 45 s and 2.5 GB
of memory on a 2-core machine; one million take about 4 s.

Shape: the English projects.csv is about 123 bytes a row at 1,000,000 rows and 124.7 at
10,000,000, the shape of the performance anchors (122 MB at 1M rows). Smaller ledgers use
smaller numbers in project names and 40 instead of 60 units, so they read like a real county's.
"""

import argparse
import datetime
import itertools
import math
import os
import sys

import numpy as np

# ---------------------------------------------------------------------------------------------
# Vocabularies. The order of every list is part of the output format: changing it changes the data.

TOWNS = [  # (name, weight); 城关镇 is the county seat and gets the most projects
    ("城关镇", 14), ("河口乡", 6), ("东关镇", 7), ("西河镇", 6), ("南塘镇", 5),
    ("北山乡", 4), ("柳林镇", 5), ("石桥镇", 5), ("清水乡", 4), ("杨庄乡", 3),
    ("马集镇", 4), ("李店镇", 4), ("白沙镇", 5), ("黄岗乡", 3), ("高庙乡", 3),
    ("新集镇", 4), ("双河镇", 4), ("龙泉乡", 3), ("桃源乡", 4), ("青山镇", 4),
]

# County departments, most involved in investment attraction first. Small ledgers use the first 20.
DEPARTMENTS = [
    "县发改局", "县工信局", "县商务局", "县农业农村局", "县文旅局", "县财政局", "县自然资源局",
    "县住建局", "县交通运输局", "县水利局", "县科技局", "县市场监管局", "县生态环境局", "县人社局",
    "县林业局", "县供销社", "县城投公司", "县经开区管委会", "县卫健委", "县教育局",
    "县民政局", "县审计局", "县统计局", "县税务局", "县公安局", "县司法局", "县应急管理局",
    "县医保局", "县退役军人事务局", "县公积金中心", "县总工会", "团县委", "县妇联", "县科协",
    "县工商联", "县委办", "县政府办", "县委组织部", "县委宣传部", "县委统战部",
]

# (code, Chinese label, share, investment multiplier, name prefix word, measure words, products)
SECTORS = [
    ("machinery", "机械加工", 20, 1.0, "年产", ["万件", "万套"],
     ["机械配件", "农用机械", "机械加工", "矿山机械", "轴承", "齿轮", "液压件", "铸件",
      "汽车配件", "数控机床", "食品机械", "精密机械配件"]),
    ("tourism", "旅游", 15, 1.3, "占地", ["亩"],
     ["生态旅游区", "温泉度假村", "民宿", "乡村旅游", "古镇旅游", "森林公园", "农家乐", "漂流",
      "研学基地", "康养小镇"]),
    ("agriculture", "农业", 10, 0.6, "流转", ["亩"],
     ["蔬菜基地", "茶园", "中药材种植", "生猪养殖", "肉牛养殖", "苗木花卉", "食用菌", "水产养殖",
      "家庭农场", "农业示范园"]),
    ("logistics", "物流", 7, 1.0, None, ["万平方米", "亩"],
     ["仓储物流", "冷链物流", "物流园", "快递分拣中心", "配送中心"]),
    ("textiles", "纺织", 7, 0.8, "年产", ["万件", "万米", "吨"],
     ["服装加工", "纺纱", "织布", "家纺", "针织", "无纺布", "箱包"]),
    ("food", "食品", 9, 0.8, "年产", ["吨", "万吨"],
     ["面粉加工", "食用油", "肉制品", "饮料", "休闲食品", "粮食烘干", "饲料", "白酒"]),
    ("energy", "新能源", 6, 1.8, "装机", ["兆瓦"],
     ["光伏发电", "风电", "生物质发电", "储能电站", "分布式光伏"]),
    ("chemicals", "化工", 5, 1.5, "年产", ["吨", "万吨"],
     ["精细化工", "塑料制品", "涂料", "橡胶制品", "化肥", "日化用品"]),
    ("electronics", "电子信息", 6, 1.3, "年产", ["万件", "万只", "万套"],
     ["电子元器件", "线路板", "LED照明", "锂电池", "电线电缆", "智能终端"]),
    ("building_materials", "建材", 6, 1.0, "年产", ["万吨", "万方"],
     ["水泥", "商砼", "新型墙材", "石材加工", "砂石骨料", "装配式构件", "陶瓷"]),
    ("trade", "商贸", 5, 0.6, None, ["亩"],
     ["商贸综合体", "农贸市场", "建材市场", "汽车城", "商业街", "超市"]),
    ("medicine", "医药", 4, 1.2, "年产", ["吨", "万件"],
     ["中药饮片", "医疗器械", "生物制药", "保健品", "医用耗材"]),
]

SECTOR_CODES = [s[0] for s in SECTORS]

STAGES = [  # (code, Chinese label, share): a funnel
    ("lead", "线索", 25), ("negotiating", "在谈", 15), ("signed", "签约", 26),
    ("started", "开工", 20), ("operating", "投产", 14),
]
SIGNED_STAGE = 2  # stages from here on have a signing date

ORIGINS = [  # (name, weight)
    ("浙江", 18), ("江苏", 14), ("广东", 10), ("上海", 8), ("北京", 6), ("山东", 8),
    ("福建", 7), ("香港", 4), ("本地", 15), ("河南", 5), ("安徽", 5),
]

ZONES = ["dev_zone", "industrial_park", "township"]

# Names that need CSV quoting (an ASCII comma or double quote), or that look as if they should
# (curly quotes need none). `{t}` is the town or brand, `{n}` a number; all end with 项目.
SPECIAL_NAMES = [  # (template, sector)
    ('{t}"一村一品"{n}亩农产品基地项目', "agriculture"),
    ('{t}年产{n}万吨水泥,砂石骨料项目', "building_materials"),
    ('{t}"互联网+"农村电商产业园项目', "trade"),
    ('{t}年产{n}万件汽车配件,农机配件项目', "machinery"),
    ('{t}“美丽乡村”民宿集群项目', "tourism"),
    ('{t}"机械之乡"{n}亩装备制造产业园项目', "machinery"),
]

# Fictional investor short names; 40% of project names start with one instead of the town.
BRANDS = ["宏达", "鑫源", "恒信", "华远", "金盛", "天瑞", "博达", "瑞丰", "永泰", "嘉禾", "盛泰", "中鼎",
          "海川", "汇通", "润丰", "富华", "晨光", "远航", "益民", "鼎盛", "德润", "泰和", "锦程", "兴旺"]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = ["建国", "志强", "海涛", "立新", "晓东", "红梅", "丽华", "卫东", "国庆", "春生",
         "文斌", "玉兰", "明", "军", "勇", "静", "伟", "芳", "磊", "鹏", "德胜", "振华",
         "秀英", "永刚", "学军", "桂芝", "长江", "新民", "俊杰", "亚楠"]

# --- The investor dimension (--dimension): company names, provinces, industries. ---
# A company name is place + trade name (two characters) + business + legal form, as Chinese
# companies are registered: 杭州宏达机械制造有限公司. No place is a prefix of another, the trade
# name has a fixed length and no business word followed by a form reads as another business
# word followed by a form, so different codes give different names.
COMPANY_PLACES = [
    "杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "台州", "义乌", "苏州", "无锡", "常州",
    "南京", "南通", "扬州", "徐州", "昆山", "江阴", "广州", "深圳", "东莞", "佛山", "中山", "珠海",
    "上海", "北京", "天津", "济南", "青岛", "烟台", "潍坊", "临沂", "淄博", "福州", "厦门", "泉州",
    "莆田", "晋江", "郑州", "洛阳", "南阳", "许昌", "合肥", "芜湖", "安庆", "阜阳", "武汉", "宜昌",
    "襄阳", "长沙", "株洲", "岳阳", "南昌", "赣州", "九江", "成都", "绵阳", "重庆", "西安", "宝鸡",
    "太原", "大同", "石家庄", "保定", "唐山", "沈阳", "大连", "长春", "哈尔滨", "昆明", "贵阳",
    "南宁", "柳州", "兰州", "银川", "乌鲁木齐", "呼和浩特", "海口", "香港",
] + [t for t, _ in TOWNS]  # local companies carry the township's name
COMPANY_TRADE_CHARS = ("宏达鑫源恒信华远金盛天瑞博丰永泰嘉禾中鼎海川汇通润富晨光航益民德和锦"
                       "程兴旺昌隆顺安康宇泽森林辉煌伟业凯旋宝利新星振东众诚正明佳弘")
COMPANY_BUSINESS = [
    "机械制造", "机械设备", "精密机械", "农业开发", "农业科技", "生态农业", "食品", "食品科技",
    "纺织", "服饰", "新材料科技", "化工", "建材", "建筑工程", "电子科技", "电子商务", "信息技术",
    "物流", "供应链管理", "商贸", "进出口贸易", "实业", "投资", "投资管理", "置业", "旅游开发",
    "文化旅游", "生物科技", "医药", "医疗器械", "新能源", "光伏科技", "环保科技", "汽车零部件",
    "包装材料", "塑业", "家居", "矿业",
]
COMPANY_FORMS = ["有限公司", "有限责任公司", "股份有限公司", "集团有限公司"]

PROVINCES = [  # (name, weight): the 31 provinces, regions and municipalities; the coast invests most
    ("北京", 6), ("天津", 3), ("河北", 3), ("山西", 1.5), ("内蒙古", 1), ("辽宁", 2), ("吉林", 1),
    ("黑龙江", 1), ("上海", 8), ("江苏", 14), ("浙江", 18), ("安徽", 5), ("福建", 7), ("江西", 2.5),
    ("山东", 8), ("河南", 5), ("湖北", 3), ("湖南", 2.5), ("广东", 10), ("广西", 1.2), ("海南", 0.6),
    ("重庆", 1.8), ("四川", 2.5), ("贵州", 0.8), ("云南", 0.8), ("西藏", 0.1), ("陕西", 1.5),
    ("甘肃", 0.5), ("青海", 0.2), ("宁夏", 0.3), ("新疆", 0.5),
]

INDUSTRIES = [  # (code, Chinese label, weight)
    ("manufacturing", "制造业", 30), ("agriculture", "农林牧渔业", 8), ("construction", "建筑业", 7),
    ("wholesale_retail", "批发零售业", 12), ("logistics", "交通运输业", 5),
    ("information", "信息技术", 6), ("finance", "金融业", 3), ("real_estate", "房地产业", 6),
    ("energy", "能源", 5), ("healthcare", "医药卫生", 4), ("culture_tourism", "文化旅游", 5),
    ("mining", "采矿业", 2),
]

INVESTOR_ROWS = 100_000
INVESTOR_SKEW = 0.7  # the investor of popularity rank r gets projects in proportion to (r+1)^-0.7
CONTACT_REUSE = 1.22  # rows / contact names to draw from: distinct ≈ (1 - e^-1.22) / 1.22 = 58%
FILE_NO_MAX = 1_000_000

QUOTA_LADDER = [m * 10 ** k for k in range(3, 12) for m in (1, 1.5, 2, 3, 5, 8)]

FIRST_DAY = datetime.date(2014, 1, 1)
DAYS = (datetime.date(2015, 12, 31) - FIRST_DAY).days + 1  # 730

CHUNK = 200_000  # rows turned into text at a time

EN_PROJECT_HEADER = ["id", "name", "unit", "sector", "stage", "investment", "signed_on",
                     "filed", "reviewed", "town", "origin", "zone"]
ZH_PROJECT_HEADER = ["编号", "项目名称", "责任单位", "行业", "阶段", "投资额", "签约日期",
                     "备案", "评审", "落户乡镇", "客商来源"]
EN_DIMENSION_HEADER = ["investor_id", "contact", "file_no"]  # appended with --dimension
ZH_DIMENSION_HEADER = ["投资方编号", "联系企业", "档案号"]
EN_INVESTOR_HEADER = ["investor_id", "investor", "province", "industry", "capital"]
ZH_INVESTOR_HEADER = ["投资方编号", "投资方", "省份", "所属行业", "注册资本"]

EN_SCHEMA = """\
[projects.columns]
investment = { type = "money", unit = "万元" }
stage = { type = "category", order = ["lead", "negotiating", "signed", "started", "operating"] }
signed_on = "date"

[units.columns]
quota = { type = "money", unit = "万元" }
"""

EN_SCHEMA_DIMENSION = """
[investors.columns]
capital = { type = "money", unit = "万元" }
"""

ZH_SCHEMA = """\
["项目".columns]
"投资额" = { type = "money", unit = "万元" }
"阶段" = { type = "category", order = ["线索", "在谈", "签约", "开工", "投产"] }
"签约日期" = "date"
"责任单位" = { type = "category", order_from = "单位.单位" }

["单位".columns]
"任务额" = { type = "money", unit = "万元" }
"类别" = { type = "category", order = ["部门", "乡镇"] }
"""

ZH_SCHEMA_DIMENSION = """
["投资方".columns]
"注册资本" = { type = "money", unit = "万元" }
"""

CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_number(k):
    """1..99 in Chinese numerals, as in 二期, 十一期, 二十三期."""
    tens, ones = divmod(k, 10)
    s = ""
    if tens:
        s = ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十"
    if ones:
        s += CHINESE_DIGITS[ones]
    return s


def phase_word(rank):
    """'' for the first project with a name, then 二期, 三期, ... for later ones."""
    if rank == 0:
        return ""
    if rank < 99:
        return chinese_number(rank + 1) + "期"
    return "第%d期" % (rank + 1)


def csv_field(s):
    """RFC 4180: quote only when the field holds a comma, a double quote or a line break."""
    if any(c in s for c in ',"\n\r'):
        return '"' + s.replace('"', '""') + '"'
    return s


def weights(ws):
    w = np.asarray(ws, dtype=np.float64)
    return w / w.sum()


def choice(rng, n, ws, dtype=np.int8):
    """n codes drawn with the given weights, via one sorted search (fast and deterministic)."""
    cdf = np.cumsum(weights(ws))
    cdf[-1] = 1.0
    return np.searchsorted(cdf, rng.random(n), side="right").astype(dtype)


def objects(strings):
    a = np.empty(len(strings), dtype=object)
    a[:] = list(strings)
    return a


COMPANY_TRADES = [a + b for a in COMPANY_TRADE_CHARS for b in COMPANY_TRADE_CHARS]
COMPANY_RADIX = [len(COMPANY_TRADES), len(COMPANY_BUSINESS), len(COMPANY_PLACES), len(COMPANY_FORMS)]
COMPANY_SPACE = int(np.prod(COMPANY_RADIX))  # 4096 * 38 * 99 * 4 = 61.6 million names


def _coprime_near(x):
    k = int(x)
    while math.gcd(k, COMPANY_SPACE) != 1:
        k += 1
    return k


# Two bijections k -> (k * A + B) mod COMPANY_SPACE, A near the golden section of the space, so
# that consecutive k land far apart: one for contacts (0), one for investors (1).
COMPANY_MAPS = [(_coprime_near(COMPANY_SPACE * 0.6180339887), 12_345_678),
                (_coprime_near(COMPANY_SPACE * 0.4142135624), 34_567_890)]


def company_codes(k, which):
    """Company names k (distinct k, distinct names) as 4 code arrays: trade, business, place, form."""
    a, b = COMPANY_MAPS[which]
    code = (k.astype(np.int64) * a + b) % COMPANY_SPACE
    out = []
    for radix in COMPANY_RADIX:
        code, digit = np.divmod(code, radix)
        out.append(digit.astype(np.int16))
    return out


# ---------------------------------------------------------------------------------------------
# The data, as columns of codes.

class Ledger:
    """All values of one generated ledger, as numpy arrays of codes and numbers (no text)."""

    def __init__(self, rows, seed, dimension=False):
        self.rows = n = rows
        self.dimension = dimension
        rng = np.random.default_rng(seed)
        large = n >= 100_000

        # Units: 20 (or 40) departments, then the 20 townships.
        depts = DEPARTMENTS[:40 if large else 20]
        self.unit_names = depts + [t for t, _ in TOWNS]
        self.unit_is_town = np.array([False] * len(depts) + [True] * len(TOWNS))
        unit_w = [3.0 / (1 + 0.15 * i) for i in range(len(depts))]
        unit_w += [2.2 / (1 + 0.08 * i) for i in range(len(TOWNS))]
        self.unit = choice(rng, n, unit_w)

        self.sector = choice(rng, n, [s[2] for s in SECTORS])
        # A few names need CSV quoting: 1% of a small ledger (at least one of each kind), 0.2%
        # of a big one, the kinds taken in turn.
        k = round(n * (0.01 if n < 100_000 else 0.002))
        k = min(n, max(k, len(SPECIAL_NAMES)))
        self.special = np.zeros(n, dtype=bool)
        self.special[rng.choice(n, k, replace=False)] = True
        self.special_kind = ((np.cumsum(self.special) - 1) % len(SPECIAL_NAMES)).astype(np.int8)
        special_sector = np.array([SECTOR_CODES.index(c) for _, c in SPECIAL_NAMES], dtype=np.int8)
        self.sector = np.where(self.special, special_sector[self.special_kind], self.sector)
        self.stage = choice(rng, n, [s[2] for s in STAGES])

        # Town: a township's own projects mostly land in it; departments place theirs anywhere.
        town_w = [w for _, w in TOWNS]
        any_town = choice(rng, n, town_w)
        own = self.unit.astype(np.int16) - len(depts)
        stays = (own >= 0) & (rng.random(n) < 0.85)
        self.town = np.where(stays, own, any_town).astype(np.int8)
        self.town_missing = rng.random(n) < 0.01

        # Investment in 万元, kept as integer tenths: lognormal around 3,000, long tail to 300,000.
        mult = np.array([s[3] for s in SECTORS])[self.sector]
        mult = mult * np.where(self.stage == 0, 1.3, 1.0)  # leads are talked up
        raw = np.exp(rng.normal(np.log(3000.0), 1.05, n)) * mult
        raw = np.clip(raw, 50.0, 300_000.0)
        style = rng.random(n)
        hundreds = np.round(raw / 100.0) * 1000  # in tenths
        tens = np.round(raw / 10.0) * 100
        whole = np.round(raw) * 10
        tenths = np.round(raw * 10.0)
        inv = np.where(style < 0.55, np.where(raw >= 1000, hundreds, tens),
                       np.where(style < 0.88, whole, tenths))
        self.investment = np.maximum(inv, 1).astype(np.int64)  # tenths of 万元
        self.investment_missing = rng.random(n) < 0.01

        # Zone: big industrial projects go to the development zone, farms and tourism to townships.
        rural_codes = [SECTOR_CODES.index(c) for c in ("tourism", "agriculture", "logistics", "trade")]
        rural = np.isin(self.sector, rural_codes)
        p_dev = np.where(rural, 0.15, 0.35) * np.where(raw >= 10_000, 1.8, 1.0)
        p_park = np.where(rural, 0.15, 0.35)
        u = rng.random(n)
        self.zone = np.where(u < p_dev, 0, np.where(u < p_dev + p_park, 1, 2)).astype(np.int8)

        # Signing date: only from 'signed' on; projects further down the funnel signed earlier.
        u1, u2, u3 = rng.random(n), rng.random(n), rng.random(n)
        frac = np.where(self.stage == 3, np.minimum(u1, u2),
                        np.where(self.stage == 4, np.minimum(np.minimum(u1, u2), u3), u1))
        self.signed_day = np.minimum((frac * DAYS).astype(np.int16), DAYS - 1)
        self.signed_missing = self.stage < SIGNED_STAGE
        self.zh_date_style = (rng.random(n) < 0.3).astype(np.int8)  # 1: 2015年3月1日

        # Filed (备案) and reviewed (评审): more likely further down the funnel; reviewed mostly
        # implies filed.
        p_filed = np.array([0.10, 0.30, 0.75, 0.90, 0.97])[self.stage]
        self.filed = rng.random(n) < p_filed
        p_rev = np.where(self.filed, np.array([0.2, 0.4, 0.7, 0.85, 0.9])[self.stage], 0.02)
        self.reviewed = rng.random(n) < p_rev

        self.origin = choice(rng, n, [w for _, w in ORIGINS])

        # Names: town or brand + [prefix word] + number + measure + product + [phase] + 项目.
        # The number range grows with the ledger so that big ledgers have few repeated names;
        # a name that still repeats gets 二期, 三期, ... like real follow-up phases.
        self.num_max = int(min(9999, max(50, n // 250)))
        brand = rng.integers(0, len(BRANDS), n)
        self.name_owner = np.where(rng.random(n) < 0.4, len(TOWNS) + brand, self.town).astype(np.int8)
        self.name_num = rng.integers(1, self.num_max + 1, n).astype(np.int16)
        has_prefix = np.array([s[4] is not None for s in SECTORS])[self.sector]
        self.name_prefix = ((rng.random(n) < 0.15) & has_prefix).astype(np.int8)
        self.name_measure = rng.integers(0, 1 << 30, n) % np.array(
            [len(s[5]) for s in SECTORS])[self.sector]
        self.name_product = rng.integers(0, 1 << 30, n) % np.array(
            [len(s[6]) for s in SECTORS])[self.sector]

        self.name_phase = self._phase_ranks()

        # Units table: quota ≈ what the unit actually signed, times 0.6..1.5, on a round ladder.
        signed_inv = np.where(self.signed_missing | self.investment_missing, 0, self.investment)
        per_unit = np.bincount(self.unit, weights=signed_inv / 10.0, minlength=len(self.unit_names))
        counts = np.bincount(self.unit, minlength=len(self.unit_names))
        factor = rng.uniform(0.6, 1.5, len(self.unit_names))
        self.units_used = np.nonzero(counts)[0]
        ladder = np.array(QUOTA_LADDER)
        self.quota = []
        for target in per_unit * factor:
            target = max(target, 1000.0)
            self.quota.append(int(ladder[np.argmin(np.abs(np.log(ladder / target)))]))
        combos = rng.permutation(len(SURNAMES) * len(GIVEN))[:len(self.unit_names)]
        self.leaders = [SURNAMES[c // len(GIVEN)] + GIVEN[c % len(GIVEN)] for c in combos]

        if dimension:
            self._dimension(seed)

    def _dimension(self, seed):
        """--dimension: the investors table and the projects' investor_id, contact and file_no.
        Drawn from two generators of their own, so every other column keeps its values; the
        investors table does not depend on --rows."""
        n = self.rows
        inv = np.random.default_rng([seed, 1])  # the investors table
        rng = np.random.default_rng([seed, 2])  # the projects' new columns

        # Investors: a unique company name each, a province, an industry, registered capital.
        m = INVESTOR_ROWS
        self.investor_name = company_codes(np.arange(m, dtype=np.int64), 1)
        self.investor_province = choice(inv, m, [w for _, w in PROVINCES])
        self.investor_industry = choice(inv, m, [w for _, _, w in INDUSTRIES])
        raw = np.clip(np.exp(inv.normal(np.log(1000.0), 1.3, m)), 10.0, 1_000_000.0)
        style = inv.random(m)
        digits = np.floor(np.log10(raw)) - 1  # two significant digits: 1200, 35000, 50
        nice = np.maximum(np.round(raw / 10.0 ** digits) * 10.0 ** digits, 1.0) * 10
        self.investor_capital = np.where(style < 0.7, nice, np.where(
            style < 0.9, np.round(raw) * 10, np.round(raw * 10.0))).astype(np.int64)  # tenths
        # Popularity: the investor of rank r gets projects in proportion to (r + 1)^-0.7; the
        # ranks are dealt to the ids at random.
        popular = inv.permutation(m).astype(np.int32) + 1

        # Projects: the investor (1% unknown), a contact company drawn from n / 1.22 names (so
        # about 58% of the values are distinct, whatever n), a filing number 1..min(1M, n).
        rank = choice(rng, n, (np.arange(m) + 1.0) ** -INVESTOR_SKEW, dtype=np.int32)
        self.investor_id = popular[rank]
        self.investor_missing = rng.random(n) < 0.01
        names = max(1, min(COMPANY_SPACE, round(n / CONTACT_REUSE)))
        self.contact = company_codes(rng.integers(0, names, n), 0)
        self.file_no = rng.integers(1, min(FILE_NO_MAX, n) + 1, n).astype(np.int32)

    def _phase_ranks(self):
        """For each row, how many earlier rows carry the same name (0 for the first)."""
        n = self.rows
        product = np.where(self.special, 100 + self.special_kind, self.name_product).astype(np.int64)
        sector = np.where(self.special, 0, self.sector).astype(np.int64)
        key = sector
        key = key * 200 + product
        key = key * 8 + np.where(self.special, 0, self.name_measure)
        key = key * 2 + np.where(self.special, 0, self.name_prefix)
        key = key * 64 + self.name_owner
        special_has_num = np.array(["{n}" in t for t, _ in SPECIAL_NAMES])[self.special_kind]
        special_num = np.where(special_has_num, self.name_num, 0)
        key = key * 10_000 + np.where(self.special, special_num, self.name_num)
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        starts = np.ones(n, dtype=bool)
        starts[1:] = sorted_key[1:] != sorted_key[:-1]
        group_start = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
        rank = np.empty(n, dtype=np.int32)
        rank[order] = np.arange(n) - group_start
        return rank


# ---------------------------------------------------------------------------------------------
# Writing.

def date_vocab(style):
    out = []
    for d in range(DAYS):
        day = FIRST_DAY + datetime.timedelta(days=d)
        if style == "iso":
            out.append(day.isoformat())
        elif style == "slash":
            out.append("%d/%d/%d" % (day.year, day.month, day.day))
        else:
            out.append("%d年%d月%d日" % (day.year, day.month, day.day))
    return out


class Writer:
    def __init__(self, ledger, lang):
        self.g = g = ledger
        self.lang = lang
        zh = lang == "zh"
        self.town_names = [t for t, _ in TOWNS]
        # Vocabularies of columns that can be empty end with '', so "missing" is one more code.
        self.v_unit = objects(g.unit_names)
        self.v_sector = objects([s[1] if zh else s[0] for s in SECTORS])
        self.v_stage = objects([s[1] if zh else s[0] for s in STAGES])
        self.v_bool = objects(["否", "是"] if zh else ["false", "true"])
        self.v_town = objects(self.town_names + [""])
        self.v_origin = objects([o for o, _ in ORIGINS])
        self.v_zone = objects(ZONES)
        self.v_frac = objects([""] + [".%d" % i for i in range(1, 10)])
        if zh:
            self.v_date = objects(date_vocab("slash") + date_vocab("cn") + [""])
        else:
            self.v_date = objects(date_vocab("iso") + [""])
        # Name pieces, flattened over (sector, measure) and (sector, product).
        self.v_prefix = objects([""] + [s[4] or "" for s in SECTORS])
        self.measure_base = np.cumsum([0] + [len(s[5]) for s in SECTORS])[:-1]
        self.product_base = np.cumsum([0] + [len(s[6]) for s in SECTORS])[:-1]
        self.v_measure = objects([m for s in SECTORS for m in s[5]])
        self.v_product = objects([p for s in SECTORS for p in s[6]])
        self.v_num = objects([str(i) for i in range(g.num_max + 1)])
        self.v_phase = objects([phase_word(r) for r in range(int(g.name_phase.max()) + 1)])
        self.v_owner = objects(self.town_names + BRANDS)
        if g.dimension:
            self.v_company = [objects(v) for v in (COMPANY_TRADES, COMPANY_BUSINESS,
                                                   COMPANY_PLACES, COMPANY_FORMS)]
            self.v_province = objects([p for p, _ in PROVINCES])
            self.v_industry = objects([i[1] if zh else i[0] for i in INDUSTRIES])

    def names(self, s, e):
        g = self.g
        sec = g.sector[s:e]
        prefix_code = np.where(g.name_prefix[s:e] == 1, sec.astype(np.int16) + 1, 0)
        parts = [
            self.v_owner[g.name_owner[s:e]].tolist(),
            self.v_prefix[prefix_code].tolist(),
            self.v_num[g.name_num[s:e]].tolist(),
            self.v_measure[self.measure_base[sec] + g.name_measure[s:e]].tolist(),
            self.v_product[self.product_base[sec] + g.name_product[s:e]].tolist(),
            self.v_phase[g.name_phase[s:e]].tolist(),
            itertools.repeat("项目"),
        ]
        out = list(map("".join, zip(*parts)))
        for i in np.nonzero(g.special[s:e])[0].tolist():
            r = s + i
            text = SPECIAL_NAMES[g.special_kind[r]][0].format(
                t=self.v_owner[g.name_owner[r]], n=int(g.name_num[r]))
            text = text[:-2] + phase_word(int(g.name_phase[r])) + "项目"
            out[i] = csv_field(text)
        return out

    def tenths(self, values, missing=None):
        """Integer tenths as decimal text (1589.4, 1200); '' where missing."""
        whole = list(map(str, (values // 10).tolist()))
        frac = self.v_frac[values % 10].tolist()
        out = list(map(str.__add__, whole, frac))
        if missing is not None:
            for i in np.nonzero(missing)[0].tolist():
                out[i] = ""
        return out

    def investment(self, s, e):
        g = self.g
        return self.tenths(g.investment[s:e], g.investment_missing[s:e])

    def companies(self, codes, s, e):
        """Company names (place + trade name + business + form) of the codes in rows s..e."""
        trade, business, place, form = (v[c[s:e]].tolist() for v, c in zip(self.v_company, codes))
        return list(map("".join, zip(place, trade, business, form)))

    def dimension_columns(self, s, e):
        g = self.g
        ids = list(map(str, g.investor_id[s:e].tolist()))
        for i in np.nonzero(g.investor_missing[s:e])[0].tolist():
            ids[i] = ""
        return [ids, self.companies(g.contact, s, e), map(str, g.file_no[s:e].tolist())]

    def project_columns(self, s, e):
        g = self.g
        missing_date = len(self.v_date) - 1
        date_code = g.signed_day[s:e].astype(np.int32)
        if self.lang == "zh":
            date_code = date_code + g.zh_date_style[s:e].astype(np.int32) * DAYS
        date_code = np.where(g.signed_missing[s:e], missing_date, date_code)
        town_code = np.where(g.town_missing[s:e], len(TOWNS), g.town[s:e])
        cols = [
            map(str, range(s + 1, e + 1)),
            self.names(s, e),
            self.v_unit[g.unit[s:e]].tolist(),
            self.v_sector[g.sector[s:e]].tolist(),
            self.v_stage[g.stage[s:e]].tolist(),
            self.investment(s, e),
            self.v_date[date_code].tolist(),
            self.v_bool[g.filed[s:e].astype(np.int8)].tolist(),
            self.v_bool[g.reviewed[s:e].astype(np.int8)].tolist(),
            self.v_town[town_code].tolist(),
            self.v_origin[g.origin[s:e]].tolist(),
        ]
        if self.lang == "en":
            cols.append(self.v_zone[g.zone[s:e]].tolist())
        if g.dimension:
            cols += self.dimension_columns(s, e)
        return cols

    def write_projects(self, path, encoding):
        header = EN_PROJECT_HEADER if self.lang == "en" else ZH_PROJECT_HEADER
        if self.g.dimension:
            header = header + (EN_DIMENSION_HEADER if self.lang == "en" else ZH_DIMENSION_HEADER)
        with open(path, "wb") as f:
            f.write((",".join(header) + "\n").encode(encoding))
            for s in range(0, self.g.rows, CHUNK):
                e = min(s + CHUNK, self.g.rows)
                text = "\n".join(map(",".join, zip(*self.project_columns(s, e)))) + "\n"
                f.write(text.encode(encoding))

    def write_units(self, path, encoding):
        g = self.g
        zh = self.lang == "zh"
        lines = [("单位,类别,任务额,负责人" if zh else "unit,kind,quota,leader")]
        kinds = ("部门", "乡镇") if zh else ("department", "township")
        for u in g.units_used.tolist():
            lines.append(",".join([g.unit_names[u], kinds[int(g.unit_is_town[u])],
                                   str(g.quota[u]), g.leaders[u]]))
        with open(path, "wb") as f:
            f.write(("\n".join(lines) + "\n").encode(encoding))

    def write_investors(self, path, encoding):
        g = self.g
        m = INVESTOR_ROWS
        header = EN_INVESTOR_HEADER if self.lang == "en" else ZH_INVESTOR_HEADER
        cols = [map(str, range(1, m + 1)), self.companies(g.investor_name, 0, m),
                self.v_province[g.investor_province].tolist(),
                self.v_industry[g.investor_industry].tolist(),
                self.tenths(g.investor_capital)]
        with open(path, "wb") as f:
            f.write((",".join(header) + "\n").encode(encoding))
            f.write(("\n".join(map(",".join, zip(*cols))) + "\n").encode(encoding))


def main(argv=None):
    ap = argparse.ArgumentParser(description="Generate a fictional county investment ledger.")
    ap.add_argument("--rows", type=int, required=True, help="number of projects")
    ap.add_argument("--out", required=True, help="output folder (created if missing)")
    ap.add_argument("--seed", type=int, default=2015, help="random seed (default 2015)")
    ap.add_argument("--lang", choices=["en", "zh"], default="en",
                    help="en: projects.csv/units.csv with English headers and codes; "
                         "zh: 项目.csv/单位.csv with Chinese headers and values")
    ap.add_argument("--encoding", choices=["utf-8", "gb18030"], default="utf-8",
                    help="encoding of the CSV files (schema.toml is always UTF-8)")
    ap.add_argument("--dimension", action="store_true",
                    help="also write investors.csv (投资方.csv), 100,000 investors, and add "
                         "investor_id, contact and file_no to the projects (off by default)")
    args = ap.parse_args(argv)
    if args.rows < 1:
        ap.error("--rows must be at least 1")

    os.makedirs(args.out, exist_ok=True)
    ledger = Ledger(args.rows, args.seed, dimension=args.dimension)
    w = Writer(ledger, args.lang)
    if args.lang == "en":
        projects, units, investors, schema = "projects.csv", "units.csv", "investors.csv", EN_SCHEMA
        if args.dimension:
            schema += EN_SCHEMA_DIMENSION
    else:
        projects, units, investors, schema = "项目.csv", "单位.csv", "投资方.csv", ZH_SCHEMA
        if args.dimension:
            schema += ZH_SCHEMA_DIMENSION
    w.write_projects(os.path.join(args.out, projects), args.encoding)
    w.write_units(os.path.join(args.out, units), args.encoding)
    if args.dimension:
        w.write_investors(os.path.join(args.out, investors), args.encoding)
    with open(os.path.join(args.out, "schema.toml"), "wb") as f:
        f.write(schema.encode("utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
