#!/usr/bin/env python3
"""Generate scenarios/cosmo2-global.ron: WCO Operation Cosmo 2 as a global scenario.

    python3 scenarios/tools/make_cosmo2_global.py          # from the repository root

Python 3 standard library only. Reads the reference CSVs under scenarios/reference/ and
writes a deterministic file: every list is sorted or in a fixed hand-written order, and
nothing is random. Run it again after editing this script or the reference data.

What is real and what is assumed:
- real: WCO membership and regions (2017), ports (UN/LOCODE, searoute), airports (IATA),
  GDP (Natural Earth + the documented supplement), HS 2022 codes, CAS numbers;
- illustrative assumptions: each administration's STCE maturity (trained officers,
  equipment, advance information, licensing delays, legal framework), office
  capacities, the carrier network (which loops call where, how often) and the illicit
  networks. None of them is a statement about any real administration, company or
  country.
"""

import csv
import math
import os
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
REF = os.path.join(ROOT, "scenarios", "reference")
OUT = os.path.join(ROOT, "scenarios", "cosmo2-global.ron")
PART = os.path.join(ROOT, "scenarios", "tools", "cosmo2_operation.ron.part")

N_ADMINISTRATIONS = 114  # the programme text: 114 countries took part
# Administrations per WCO region (sums to 114). Within a region the forced members come
# first, then the largest economies by GDP.
QUOTA = {"EUR": 30, "AP": 24, "AMC": 20, "MENA": 14, "ESA": 13, "WCA": 13}
REGION_ORDER = ["AP", "EUR", "MENA", "ESA", "WCA", "AMC"]

# Major economies and transshipment states that must take part whatever their GDP rank.
FORCED = [
    "CHN", "USA", "DEU", "JPN", "KOR", "IND", "NLD", "BEL", "ARE", "SGP", "MYS", "HKG",
    "PAN", "EGY", "MAR", "ESP", "ZAF", "BRA", "LKA", "OMN", "GRC", "TUR", "JAM", "MEX",
    "GBR", "FRA", "ITA", "CAN", "RUS", "AUS", "IDN", "SAU", "THA", "VNM", "PHL", "PAK",
    "MLT", "TGO", "DJI", "MUS", "KEN", "NGA", "CHL", "COL", "ARG", "BHS", "CYP", "QAT",
    "ETH", "CHE", "KAZ", "FJI", "NZL", "PER", "URY", "SEN", "GHA", "CIV",
]

# Main seaport of a country (checked against searoute_ports.csv). Countries not listed
# get the first port of the country with terminal=1, else the first port (by code).
MAIN_PORT = {
    "CHN": "CNSHA", "USA": "USLAX", "DEU": "DEHAM", "JPN": "JPYOK", "KOR": "KRPUS",
    "IND": "INNSA", "NLD": "NLRTM", "BEL": "BEANR", "ARE": "AEJEA", "SGP": "SGSIN",
    "MYS": "MYPKG", "HKG": "HKHKG", "PAN": "PAONX", "EGY": "EGPSD", "MAR": "MATNG",
    "ESP": "ESALG", "ZAF": "ZADUR", "BRA": "BRSSZ", "LKA": "LKCMB", "OMN": "OMSLL",
    "GRC": "GRPIR", "TUR": "TRAMR", "JAM": "JMKIN", "MEX": "MXZLO", "GBR": "GBFXT",
    "FRA": "FRLEH", "ITA": "ITGOA", "CAN": "CAVAN", "RUS": "RULED", "AUS": "AUMEL",
    "IDN": "IDTPP", "SAU": "SAJED", "THA": "THLCH", "VNM": "VNSGN", "PHL": "PHMNL",
    "PAK": "PKKHI", "BGD": "BDCGP", "IRN": "IRBND", "ISR": "ILHFA", "QAT": "QAHMD",
    "KWT": "KWSWK", "BHR": "BHMSN", "IRQ": "IQUQR", "JOR": "JOAQB", "LBN": "LBBEY",
    "DZA": "DZALG", "TUN": "TNRAD", "NGA": "NGAPP", "GHA": "GHTEM", "CIV": "CIABJ",
    "SEN": "SNDKR", "CMR": "CMDLA", "TGO": "TGLFW", "AGO": "AOLAD", "KEN": "KEMBA",
    "TZA": "TZDAR", "MOZ": "MZMPM", "DJI": "DJJIB", "MUS": "MUPLU", "ARG": "ARBUE",
    "CHL": "CLSAI", "PER": "PECLL", "COL": "COCTG", "ECU": "ECGYE", "URY": "UYMVD",
    "DOM": "DOCAU", "CRI": "CRLIO", "GTM": "GTSTC", "VEN": "VELAG", "TTO": "TTPOS",
    "BHS": "BSFPO", "POL": "PLGDN", "SWE": "SEGOT", "NOR": "NOOSL", "DNK": "DKAAR",
    "FIN": "FIHEL", "IRL": "IEDUB", "PRT": "PTSIE", "ROU": "ROCND", "BGR": "BGVAR",
    "HRV": "HRRJK", "SVN": "SIKOP", "UKR": "UAODS", "GEO": "GEPTI", "LTU": "LTKLJ",
    "LVA": "LVRIX", "EST": "EETLL", "MLT": "MTMAR", "CYP": "CYLMS", "NZL": "NZAKL",
    "FJI": "FJSUV", "MMR": "MMRGN", "KHM": "KHKOS", "BRN": "BNMUA", "NAM": "NAWVB",
    "CUB": "CUHAV", "LBY": "LYTIP", "COD": "CDMAT", "MDG": "MGTOA",
}
# Big countries with a second coast: a second seaport and how trade splits between them.
EXTRA_PORTS = {"USA": [("USNYC", 0.45)], "CAN": [("CAMTR", 0.4)], "RUS": [("RUVVO", 0.3)]}

# Main cargo airport (checked against airports_iata.csv). Landlocked countries trade
# through it alone; coastal countries through their seaport and, for a small share,
# this airport. Others: an "International" airport of the capital, else of the country.
MAIN_AIRPORT = {
    "CHN": "PVG", "USA": "ORD", "DEU": "FRA", "JPN": "NRT", "KOR": "ICN", "IND": "BOM",
    "NLD": "AMS", "BEL": "BRU", "ARE": "DXB", "SGP": "SIN", "MYS": "KUL", "HKG": "HKG",
    "PAN": "PTY", "EGY": "CAI", "MAR": "CMN", "ESP": "MAD", "ZAF": "JNB", "BRA": "GRU",
    "LKA": "CMB", "OMN": "MCT", "GRC": "ATH", "TUR": "IST", "JAM": "KIN", "MEX": "MEX",
    "GBR": "LHR", "FRA": "CDG", "ITA": "MXP", "CAN": "YYZ", "RUS": "SVO", "AUS": "SYD",
    "IDN": "CGK", "SAU": "RUH", "THA": "BKK", "VNM": "SGN", "PHL": "MNL", "PAK": "KHI",
    "BGD": "DAC", "IRN": "IKA", "ISR": "TLV", "QAT": "DOH", "KWT": "KWI", "BHR": "BAH",
    "IRQ": "BGW", "JOR": "AMM", "LBN": "BEY", "DZA": "ALG", "TUN": "TUN", "NGA": "LOS",
    "GHA": "ACC", "CIV": "ABJ", "SEN": "DSS", "CMR": "DLA", "TGO": "LFW", "AGO": "LAD",
    "KEN": "NBO", "TZA": "DAR", "MOZ": "MPM", "DJI": "JIB", "MUS": "MRU", "NAM": "WDH",
    "ARG": "EZE", "CHL": "SCL", "PER": "LIM", "COL": "BOG", "ECU": "UIO", "URY": "MVD",
    "DOM": "SDQ", "CRI": "SJO", "GTM": "GUA", "CUB": "HAV", "VEN": "CCS", "TTO": "POS",
    "BHS": "NAS", "POL": "WAW", "SWE": "ARN", "NOR": "OSL", "DNK": "CPH", "FIN": "HEL",
    "IRL": "DUB", "PRT": "LIS", "ROU": "OTP", "BGR": "SOF", "HRV": "ZAG", "SVN": "LJU",
    "UKR": "KBP", "GEO": "TBS", "LTU": "VNO", "LVA": "RIX", "EST": "TLL", "MLT": "MLA",
    "CYP": "LCA", "NZL": "AKL", "FJI": "NAN", "MMR": "RGN", "KHM": "KTI", "BRN": "BWN",
    "CHE": "ZRH", "AUT": "VIE", "CZE": "PRG", "HUN": "BUD", "SVK": "BTS", "SRB": "BEG",
    "BLR": "MSQ", "KAZ": "ALA", "UZB": "TAS", "AZE": "GYD", "ETH": "ADD", "UGA": "EBB",
    "ZMB": "LUN", "ZWE": "HRE", "BWA": "GBE", "RWA": "KGL", "MWI": "LLW", "NPL": "KTM",
    "MNG": "ULN", "BOL": "VVI", "PRY": "ASU", "LUX": "LUX", "MKD": "SKP", "MDA": "RMO",
    "ARM": "EVN", "KGZ": "BSZ", "TJK": "DYU", "TKM": "ASB", "LAO": "VTE", "AFG": "KBL",
    "BFA": "OUA", "MLI": "BKO", "NER": "NIM", "TCD": "NDJ", "SSD": "JUB", "SDN": "KRT",
    "LBY": "TIP", "PNG": "POM", "ISL": "KEF", "MDG": "TNR", "SYR": "DAM", "YEM": "SAH",
    "BEN": "COO", "COD": "FIH", "GAB": "LBV", "COG": "BZV", "GIN": "CKY", "HND": "SAP",
    "SLV": "SAL", "NIC": "MGA",
}
AIRPORT_SHARE = 0.1  # share of a coastal country's declarations that go by air

# About 20 transshipment hubs (main ports). Feeders connect every other port to the
# nearest of these by great-circle distance.
HUBS = [
    "SGSIN", "HKHKG", "KRPUS", "MYPKG", "LKCMB", "AEJEA", "OMSLL", "EGPSD", "GRPIR",
    "MTMAR", "MATNG", "ESALG", "NLRTM", "BEANR", "DEHAM", "PAONX", "JMKIN", "TGLFW",
    "ZADUR", "BRSSZ",
]

# Mainline loops (rotation order; a loop wraps round). Codes not in the scenario are an
# error, so every call is checked below.
SEA_MAINLINES = [
    ("Asia-North Europe via Suez", ["KRPUS", "CNSHA", "HKHKG", "SGSIN", "MYPKG", "LKCMB", "EGPSD", "NLRTM", "DEHAM", "BEANR", "GBFXT"], 7.0),
    ("Asia-Mediterranean via Suez", ["CNSHA", "HKHKG", "SGSIN", "LKCMB", "OMSLL", "EGPSD", "GRPIR", "MTMAR", "ITGOA", "ESALG", "MATNG"], 7.0),
    ("Trans-Pacific North", ["CNSHA", "KRPUS", "JPYOK", "CAVAN", "USLAX"], 7.0),
    ("Trans-Pacific South-East Asia", ["SGSIN", "VNSGN", "HKHKG", "USLAX", "MXZLO"], 7.0),
    ("Asia-US East Coast via Suez", ["CNSHA", "HKHKG", "SGSIN", "LKCMB", "EGPSD", "MTMAR", "ESALG", "USNYC"], 7.0),
    ("Asia-US East Coast via Panama", ["CNSHA", "KRPUS", "PAONX", "JMKIN", "USNYC"], 7.0),
    ("Trans-Atlantic", ["NLRTM", "BEANR", "DEHAM", "GBFXT", "FRLEH", "USNYC", "CAMTR"], 7.0),
    ("Asia-Middle East Gulf", ["CNSHA", "HKHKG", "SGSIN", "MYPKG", "INNSA", "PKKHI", "AEJEA", "OMSLL"], 7.0),
    ("Intra-Asia", ["JPYOK", "KRPUS", "CNSHA", "HKHKG", "VNSGN", "THLCH", "SGSIN", "IDTPP", "PHMNL"], 4.0),
    ("Europe-West Africa", ["NLRTM", "BEANR", "ESALG", "MATNG", "TGLFW", "NGAPP"], 7.0),
    ("Europe-East and South Africa via Suez", ["BEANR", "GRPIR", "EGPSD", "DJJIB", "KEMBA", "ZADUR"], 7.0),
    ("Gulf-Africa", ["AEJEA", "OMSLL", "KEMBA", "TZDAR", "ZADUR"], 7.0),
    ("Asia-Africa-South America", ["CNSHA", "SGSIN", "ZADUR", "BRSSZ", "ARBUE"], 7.0),
    ("Europe-South America East Coast", ["NLRTM", "DEHAM", "ESALG", "BRSSZ", "ARBUE"], 7.0),
    ("Asia-West Coast South America", ["KRPUS", "CNSHA", "MXZLO", "PAONX", "PECLL", "CLSAI"], 7.0),
    ("Europe-Caribbean", ["NLRTM", "BEANR", "FRLEH", "JMKIN", "PAONX", "COCTG"], 7.0),
    ("Caribbean-US Gulf", ["USNYC", "BSFPO", "JMKIN", "PAONX"], 7.0),
    ("Transatlantic South", ["TGLFW", "BRSSZ", "PAONX", "JMKIN", "MATNG"], 14.0),
    ("Asia-Oceania", ["CNSHA", "HKHKG", "SGSIN", "AUMEL", "NZAKL"], 7.0),
    ("Mediterranean-Black Sea", ["GRPIR", "TRAMR", "MTMAR", "ESALG"], 7.0),
]

# Air: hub airports joined by a few loops; every other airport feeds its nearest hub.
AIR_HUBS = ["FRA", "AMS", "DXB", "DOH", "IST", "SIN", "HKG", "PVG", "ICN", "ORD", "PTY", "GRU", "JNB", "ADD", "NBO"]
AIR_MAINLINES = [
    ("Eurasia air express", ["FRA", "IST", "DXB", "SIN", "HKG", "PVG", "ICN"], 1.0),
    ("Europe-Gulf-Asia air", ["AMS", "DOH", "SIN", "HKG"], 1.0),
    ("Trans-Pacific air", ["ICN", "PVG", "HKG", "ORD"], 1.0),
    ("North Atlantic air", ["FRA", "AMS", "ORD"], 1.0),
    ("Americas air", ["ORD", "PTY", "GRU"], 1.0),
    ("South Atlantic air", ["GRU", "JNB", "FRA"], 2.0),
    ("Africa air", ["FRA", "ADD", "NBO", "JNB", "DXB"], 1.0),
    ("Gulf-Africa air", ["DXB", "DOH", "ADD"], 1.0),
]


# --- STCE maturity: ILLUSTRATIVE ASSUMPTIONS, not an assessment of any administration --
# Tier by GDP per capita (US$, GDP and population from the reference data), then a small
# regional adjustment. High-income administrations are assumed to have trained
# commodity-identification officers, scanners and radiation portals and fast licensing
# authorities; low-income ones fewer of each and slower licensing.
TIERS = [
    # (min GDP per capita, name, trained share, equipment, advance info, licensing h, strategy)
    (30000, "high", 0.6, ["NiiScanner", "RadiationPortal"], 0.95, 24.0, "risk-score"),
    (12000, "upper", 0.45, ["NiiScanner"], 0.85, 48.0, "risk-score"),
    (4000, "middle", 0.3, ["NiiScanner"], 0.75, 72.0, "profiles"),
    (0, "low", 0.15, [], 0.55, 120.0, "random"),
]
# Regional adjustment of the trained-officer share (assumed: EU members share an export
# control regime and training programmes; WCO capacity building has reached Asia-Pacific
# hubs widely). Illustrative.
REGION_TRAINING = {"EUR": 0.05, "AP": 0.0, "AMC": 0.0, "MENA": 0.0, "ESA": -0.03, "WCA": -0.03}
# Large hubs get chemical identifiers too (assumed: the hubs that see the most precursor
# transit invest in them). Low-tier administrations with GDP below this have no legal
# basis to seize strategic goods in this scenario (illustrative).
NO_LEGAL_FRAMEWORK_GDP_MUSD = 20000
# Capacity: officer-hours per day per office = CAPACITY_K * sqrt(GDP in M US$) * the
# node's share of its country's trade, times HUB_FACTOR at hubs (transit workload).
CAPACITY_K = 0.012
HUB_FACTOR = 3.0
MIN_CAPACITY = 4.0  # one physical examination (4 officer-hours) a day; less could never inspect


def read(path):
    with open(os.path.join(REF, path), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def num(s):
    try:
        v = float(s)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) and v > 0 else None


def gc_km(a, b):
    (la1, lo1), (la2, lo2) = a, b
    p1, p2 = math.radians(la1), math.radians(la2)
    dp, dl = p2 - p1, math.radians(lo2 - lo1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def fmt(x):
    s = ("%.4f" % x).rstrip("0")
    return s + "0" if s.endswith(".") else s


def die(msg):
    sys.exit("make_cosmo2_global.py: " + msg)


def main():
    # ---- reference data -------------------------------------------------------------
    wco = {r["iso3"]: r for r in read("countries/wco_regions_2017.csv") if r["iso3"]}
    wc = {r["iso3"]: r for r in read("countries/world_countries.csv")}
    gdp, pop = {}, {}
    for r in read("countries/naturalearth_110m_countries.csv"):
        gdp[r["iso_a3"]], pop[r["iso_a3"]] = num(r["gdp_md_est"]), num(r["pop_est"])
    for r in read("countries/gdp_supplement.csv"):
        gdp.setdefault(r["iso3"], num(r["gdp_musd"]))
        pop.setdefault(r["iso3"], num(r["population"]))
        if gdp[r["iso3"]] is None:
            gdp[r["iso3"]], pop[r["iso3"]] = num(r["gdp_musd"]), num(r["population"])
    ports = {}  # code -> row (first row of a duplicated code wins, as in the engine)
    ports_by_iso2 = {}
    for r in read("ports/searoute_ports.csv"):
        if r["unlocode"] in ports:
            continue
        ports[r["unlocode"]] = r
        ports_by_iso2.setdefault(r["country_iso2"], []).append(r)
    airports = {}
    airports_by_iso2 = {}
    for r in read("airports/airports_iata.csv"):
        if r["iata"] in airports:
            continue
        airports[r["iata"]] = r
        airports_by_iso2.setdefault(r["country"], []).append(r)
    hs_codes = {r["hscode"] for r in read("hs/hs2022_nomenclature.csv")}
    cas_known = {r["cas"] for r in read("strategic_goods/cwc_schedules.csv") if r["cas"]}
    cas_known |= {r["cas"] for r in read("strategic_goods/eu_1C350_cw_precursors.csv") if r["cas"]}

    def landlocked(iso3):
        return wc.get(iso3, {}).get("landlocked") == "1"

    def iso2(iso3):
        return wc[iso3]["iso2"]

    # ---- administrations --------------------------------------------------------------
    def eligible(iso3):
        if iso3 not in wc or iso3 not in wco or not gdp.get(iso3):
            return False
        if landlocked(iso3):
            return bool(airports_by_iso2.get(iso2(iso3)))
        return bool(ports_by_iso2.get(iso2(iso3)))

    chosen = {reg: [] for reg in QUOTA}
    for iso3 in FORCED:
        if not eligible(iso3):
            die("forced member %s is not eligible (WCO member with GDP and a port/airport)" % iso3)
        chosen[wco[iso3]["wco_region_code"]].append(iso3)
    for reg, quota in QUOTA.items():
        rest = sorted((i for i in wco if wco[i]["wco_region_code"] == reg and i not in chosen[reg] and eligible(i)),
                      key=lambda i: (-gdp[i], i))
        if len(chosen[reg]) > quota:
            die("region %s: %d forced members exceed its quota %d" % (reg, len(chosen[reg]), quota))
        chosen[reg] += rest[: quota - len(chosen[reg])]
        if len(chosen[reg]) < quota:
            die("region %s: only %d eligible members" % (reg, len(chosen[reg])))
    members = [i for reg in REGION_ORDER for i in sorted(chosen[reg])]
    assert len(members) == N_ADMINISTRATIONS == sum(QUOTA.values())

    hub_countries = {c for c in members for h in HUBS if ports.get(h, {}).get("country_iso2") == iso2(c)}

    def maturity(iso3):
        pc = gdp[iso3] * 1e6 / pop[iso3] if pop.get(iso3) else 0.0
        tier = next(t for t in TIERS if pc >= t[0])
        _, name, trained, equip, adv, lic, strat = tier
        reg = wco[iso3]["wco_region_code"]
        trained = round(max(0.1, min(0.8, trained + REGION_TRAINING[reg])), 2)
        equip = list(equip)
        if iso3 in hub_countries and name in ("high", "upper"):
            equip.append("ChemicalIdentifier")
        legal = not (name == "low" and gdp[iso3] < NO_LEGAL_FRAMEWORK_GDP_MUSD)
        return dict(tier=name, trained=trained, equipment=equip, advance=adv, licensing=lic,
                    strategy=strat, legal=legal)

    mat = {i: maturity(i) for i in members}

    # ---- nodes --------------------------------------------------------------------------
    notes = []

    def pick_port(iso3):
        code = MAIN_PORT.get(iso3)
        if code:
            if code not in ports or ports[code]["country_iso2"] != iso2(iso3):
                die("main port %s of %s is not in searoute_ports.csv" % (code, iso3))
            return code
        cands = sorted(ports_by_iso2[iso2(iso3)], key=lambda r: r["unlocode"])
        term = [r for r in cands if r["terminal"] == "1"]
        code = (term or cands)[0]["unlocode"]
        notes.append("%s: port %s (%s) picked by rule" % (iso3, code, ports[code]["name"]))
        return code

    def pick_airport(iso3):
        code = MAIN_AIRPORT.get(iso3)
        if code:
            if code not in airports or airports[code]["country"] != iso2(iso3):
                die("main airport %s of %s is not in airports_iata.csv" % (code, iso3))
            return code
        cands = sorted(airports_by_iso2.get(iso2(iso3), []), key=lambda r: r["iata"])
        if not cands:
            return None
        capital = wc[iso3].get("capital", "")
        intl = [r for r in cands if "international" in r["name"].lower()]
        cap = [r for r in intl if r["city"] == capital] or [r for r in cands if r["city"] == capital]
        r = (cap or intl or cands)[0]
        notes.append("%s: airport %s (%s) picked by rule" % (iso3, r["iata"], r["name"]))
        return r["iata"]

    nodes = []  # dicts: code, kind, iso3, weight, hub, lat, lon
    for iso3 in members:
        if landlocked(iso3):
            a = pick_airport(iso3)
            nodes.append(dict(code=a, kind="Airport", iso3=iso3, weight=1.0))
            continue
        extra = EXTRA_PORTS.get(iso3, [])
        sea_share = 1.0 - AIRPORT_SHARE
        main_w = sea_share * (1.0 - sum(w for _, w in extra))
        nodes.append(dict(code=pick_port(iso3), kind="Seaport", iso3=iso3, weight=main_w))
        for code, w in extra:
            if code not in ports:
                die("extra port %s missing" % code)
            nodes.append(dict(code=code, kind="Seaport", iso3=iso3, weight=sea_share * w))
        a = pick_airport(iso3)
        if a:
            nodes.append(dict(code=a, kind="Airport", iso3=iso3, weight=AIRPORT_SHARE))
        else:
            notes.append("%s: no airport" % iso3)
    codes = [n["code"] for n in nodes]
    if len(set(codes)) != len(codes):
        die("duplicate node codes")
    for n in nodes:
        r = ports[n["code"]] if n["kind"] == "Seaport" else airports[n["code"]]
        n["lat"], n["lon"] = float(r["lat"]), float(r["lon"])
        n["hub"] = n["code"] in HUBS
    by_code = {n["code"]: n for n in nodes}
    for h in HUBS + AIR_HUBS:
        if h not in by_code:
            die("hub %s is not a node" % h)

    # ---- services -------------------------------------------------------------------------
    services = []
    on_mainline = set()
    for name, calls, freq in SEA_MAINLINES:
        for c in calls:
            if c not in by_code or by_code[c]["kind"] != "Seaport":
                die("mainline %s calls %s, not a seaport node" % (name, c))
        on_mainline.update(calls)
        # Mainlines are pendulums: out through the calls and back the same way, so that
        # the return trip does not wrap round the world.
        services.append((name, "Sea", calls + calls[-2:0:-1], freq))
    for h in HUBS:
        if h not in on_mainline:
            die("hub %s is on no mainline" % h)

    def feeders(kind, hubs, mainline, freq, label, group):
        spokes = {}
        for n in nodes:
            if n["kind"] != kind or n["code"] in mainline:
                continue
            h = min(hubs, key=lambda h: (gc_km((n["lat"], n["lon"]), (by_code[h]["lat"], by_code[h]["lon"])), h))
            spokes.setdefault(h, []).append(n)
        out = []
        for h in sorted(spokes):
            hub = by_code[h]
            # Nearest-neighbour chains of at most `group` spokes from the hub.
            left = sorted(spokes[h], key=lambda n: n["code"])
            k = 1
            while left:
                chain, here = [], hub
                while left and len(chain) < group:
                    nxt = min(left, key=lambda n: (gc_km((here["lat"], here["lon"]), (n["lat"], n["lon"])), n["code"]))
                    left.remove(nxt)
                    chain.append(nxt)
                    here = nxt
                out.append(("%s %s %d" % (hub["code"], label, k), [h] + [n["code"] for n in chain], freq))
                k += 1
        return out

    for name, calls, freq in feeders("Seaport", HUBS, on_mainline, 7.0, "feeder", 3):
        services.append((name, "Sea", calls, freq))
    air_main = set()
    for name, calls, freq in AIR_MAINLINES:
        for c in calls:
            if c not in by_code or by_code[c]["kind"] != "Airport":
                die("air mainline %s calls %s, not an airport node" % (name, c))
        air_main.update(calls)
        services.append((name, "Air", calls + calls[-2:0:-1], freq))
    for name, calls, freq in feeders("Airport", AIR_HUBS, air_main, 2.0, "air feeder", 3):
        services.append((name, "Air", calls, freq))

    # ---- offices --------------------------------------------------------------------------
    for n in nodes:
        m = mat[n["iso3"]]
        cap = CAPACITY_K * math.sqrt(gdp[n["iso3"]]) * n["weight"]
        if n["hub"] or n["code"] in AIR_HUBS:
            cap *= HUB_FACTOR
        n["capacity"] = max(MIN_CAPACITY, round(cap, 1))
        n["strategy"] = "risk-score" if (n["hub"] and m["tier"] != "low") else m["strategy"]

    # ---- commodities ------------------------------------------------------------------------
    # asean-cosmo.ron's catalogue plus five strategic entries (three CWC schedule 3
    # precursors, carbon fibre for missile structures, military ammunition).
    commodities = [
        # Ordinary trade, by HS chapter shares of world trade (machinery and electronics lead).
        ("Processors and controllers", "854231", 10.0, None, None, 2000.0, 200.0),
        ("Smartphones", "851713", 8.0, None, None, 400.0, 1000.0),
        ("Laptops", "847130", 7.0, None, None, 150.0, 2000.0),
        ("Static converters", "850440", 4.0, None, None, 40.0, 3000.0),
        ("Machining centres", "845710", 1.5, None, None, 60.0, 12000.0),
        ("Passenger cars", "870323", 6.0, None, None, 15.0, 15000.0),
        ("Fuel oils", "271019", 8.0, None, None, 0.6, 25000.0),
        ("Medicaments", "300490", 4.0, None, None, 80.0, 2000.0),
        ("Plastic articles", "392690", 8.0, None, None, 4.0, 8000.0),
        ("Cotton T-shirts", "610910", 6.0, None, None, 12.0, 5000.0),
        ("Wooden furniture", "940360", 5.0, None, None, 3.0, 9000.0),
        ("Steel screws and bolts", "731815", 4.0, None, None, 2.5, 15000.0),
        ("Vacuum pumps", "841410", 1.0, None, None, 50.0, 3000.0),
        ("Valves", "848180", 3.0, None, None, 20.0, 6000.0),
        ("Measuring instruments", "903180", 2.0, None, None, 120.0, 800.0),
        ("Organo-phosphorus flame retardants", "293149", 1.0, None, None, 3.0, 15000.0),
        ("Aircraft parts", "880730", 2.0, None, None, 300.0, 1000.0),
        ("Stone and mineral articles", "681519", 0.5, None, None, 2.0, 12000.0),
        # Strategic goods: licensed when licit. Several share a subheading with ordinary goods.
        ("Dimethyl methylphosphonate", "293141", 0.05, "Chemical", "756-79-6", 4.0, 12000.0),
        ("Thiodiglycol", "293090", 0.05, "Chemical", "111-48-8", 5.0, 10000.0),
        ("Triethanolamine", "292215", 0.5, "Chemical", "102-71-6", 1.5, 16000.0),
        ("Sodium cyanide", "283711", 0.4, "Chemical", "143-33-9", 2.0, 20000.0),
        ("Phosphorus oxychloride", "281212", 0.1, "Chemical", "10025-87-3", 1.2, 18000.0),
        ("Phosphorus trichloride", "281213", 0.2, "Chemical", "7719-12-2", 1.0, 18000.0),
        ("Thionyl chloride", "281217", 0.1, "Chemical", "7719-09-7", 1.5, 15000.0),
        ("Frequency changers (centrifuge grade)", "850440", 0.02, "Nuclear", None, 400.0, 500.0),
        ("Five-axis machine tools", "845710", 0.1, "DualUse", None, 150.0, 9000.0),
        ("Inertial navigation units", "901420", 0.05, "Missile", None, 3000.0, 100.0),
        ("Carbon fibre (missile grade)", "681511", 0.03, "Missile", None, 60.0, 2000.0),
        ("Sporting firearms", "930320", 0.05, "Military", None, 200.0, 500.0),
        ("Military ammunition", "930630", 0.03, "Military", None, 30.0, 3000.0),
    ]
    for name, hs, *_ in commodities:
        if hs not in hs_codes:
            die("HS %s (%s) is not in hs2022_nomenclature.csv" % (hs, name))
    for name, hs, _, cat, cas, *_ in commodities:
        if cas and cas not in cas_known:
            die("CAS %s (%s) is not in strategic_goods/" % (cas, name))
    watch_hs = ["2931", "2930", "292215", "283711", "2812", "850440", "845710", "901420", "6815", "9303", "9306"]
    for h in watch_hs:
        if h not in hs_codes:
            die("watched HS %s unknown" % h)
    watch_countries = ["ARE", "HKG", "MYS", "PAN", "TGO"]  # illustrative transit watch

    # ---- illicit networks (illustrative; no claim about any real company or country) ----
    networks = [
        dict(name="Precursor procurement network", share=0.0015,
             seeks=["Dimethyl methylphosphonate", "Thiodiglycol", "Triethanolamine", "Sodium cyanide", "Phosphorus oxychloride", "Phosphorus trichloride", "Thionyl chloride"],
             origins=["CHN", "IND"], destinations=["ARE", "JOR", "LBN"], via=["SGSIN", "MYPKG", "LKCMB"],
             concealment="{MisdeclaredHs: 0.35, GenericDescription: 0.2, FalseEndUser: 0.25, SplitConsignment: 0.1, Undisguised: 0.1}",
             cover_hs=["392690", "300490", "293149"], extra=""),
        dict(name="Dual-use machinery network", share=0.001,
             seeks=["Frequency changers (centrifuge grade)", "Five-axis machine tools"],
             origins=["DEU", "ITA", "JPN", "KOR", "CHE"], destinations=["ARE", "MYS", "TUR"],
             via=["KRPUS", "MTMAR", "AEJEA"],
             concealment="{FalseEndUser: 0.4, MisdeclaredHs: 0.3, Undervaluation: 0.2, SplitConsignment: 0.1}",
             cover_hs=["850440", "845710", "903180"], extra="front_company_new_share: 0.4"),
        dict(name="Missile components network", share=0.0008,
             seeks=["Inertial navigation units", "Carbon fibre (missile grade)"],
             origins=["USA", "FRA", "GBR", "JPN"], destinations=["PAK", "EGY", "IRN"],
             via=["HKHKG", "SGSIN", "OMSLL"],
             concealment="{MisdeclaredHs: 0.3, GenericDescription: 0.3, FalseEndUser: 0.3, Undisguised: 0.1}",
             cover_hs=["903180", "880730", "681519"], extra=""),
        dict(name="Americas-West Africa arms network", share=0.001,
             seeks=["Sporting firearms", "Military ammunition"],
             origins=["USA", "BRA"], destinations=["NGA", "CIV", "GHA", "COL"],
             via=["PAONX", "JMKIN", "TGLFW"],
             concealment="{MisdeclaredHs: 0.5, GenericDescription: 0.3, Undisguised: 0.2}",
             cover_hs=["940360", "731815"], extra=""),
        dict(name="Eastern Europe-East Africa arms network", share=0.0007,
             seeks=["Military ammunition", "Sporting firearms"],
             origins=["UKR", "BGR", "ROU"], destinations=["KEN", "TZA", "MOZ"],
             via=["GRPIR", "EGPSD", "DJJIB"],
             concealment="{MisdeclaredHs: 0.4, FalseEndUser: 0.3, GenericDescription: 0.2, Undisguised: 0.1}",
             cover_hs=["731815", "848180"], extra="front_companies: 8"),
    ]
    names = {c[0] for c in commodities}
    for net in networks:
        for c in net["origins"] + net["destinations"]:
            if c not in members:
                die("network %s: %s is not an administration" % (net["name"], c))
        for v in net["via"]:
            if v not in by_code:
                die("network %s: via %s is not a node" % (net["name"], v))
        for s in net["seeks"]:
            if s not in names:
                die("network %s seeks unknown %s" % (net["name"], s))
        for h in net["cover_hs"]:
            if h not in {c[1] for c in commodities}:
                die("cover HS %s not in the catalogue" % h)
    total_share = sum(n["share"] for n in networks)

    # ---- write ------------------------------------------------------------------------------
    regions = {reg: [i for i in members if wco[i]["wco_region_code"] == reg] for reg in REGION_ORDER}
    region_names = {"AP": "Asia/Pacific", "EUR": "Europe", "MENA": "North of Africa, Near and Middle East",
                    "ESA": "East and Southern Africa", "WCA": "West and Central Africa", "AMC": "Americas and Caribbean"}
    L = []
    w = L.append
    w("// WCO Operation Cosmo 2, as a global planning scenario.")
    w("//")
    w("// GENERATED by scenarios/tools/make_cosmo2_global.py from the reference data in")
    w("// scenarios/reference/: do not edit by hand; edit the script and run")
    w("//   python3 scenarios/tools/make_cosmo2_global.py")
    w("//")
    w("// Cosmo 2 was the largest security-focused WCO enforcement operation: the programme")
    w("// text says 114 countries took part, targeting strategic goods (CWC precursors,")
    w("// dual-use, nuclear, missile and military items) moving through ports and hubs.")
    w("// Here: %d WCO administrations from all six WCO regions (%s)," % (
        len(members), ", ".join("%s %d" % (r, len(regions[r])) for r in REGION_ORDER)))
    w("// one main seaport per coastal country (two for USA, Canada and Russia) and its main")
    w("// cargo airport, the airport alone for landlocked countries; %d transshipment hubs;" % len(HUBS))
    w("// mainline loops between hubs and feeders from every other port to its nearest hub,")
    w("// an air network of hub airports with feeders.")
    w("//")
    w("// The exact operational dates are not in the programme text: the run starts on a")
    w("// plausible date (June 2013) and lasts 38 days: four days of target building, the")
    w("// month-long interdiction phase (days 4-34), follow-up and reporting.")
    w("//")
    w("// Illicit shares are inflated (%.2f%% of declarations in all) for statistical power:" % (100 * total_share))
    w("// a single run needs enough illicit shipments to measure; real shares are far smaller.")
    w("// The networks are illustrative and make no claim about any real company or country;")
    w("// the STCE maturity of each administration (trained officers, equipment, advance")
    w("// information, licensing delays, legal framework) is an illustrative assumption by")
    w("// region and income, not an assessment of any administration.")
    w("//")
    w("//   stce run scenarios/cosmo2-global.ron                          # quick sample (300,000 declarations)")
    w("//   stce run scenarios/cosmo2-global.ron --declarations 50000000  # full scale")
    w("Scenario(")
    w('    name: "WCO Operation Cosmo 2 (global)",')
    w('    description: "%d administrations in all six WCO regions, real ports and hubs, hub-and-spoke sea and air networks; five illustrative networks (precursors, dual-use machinery, missile components, arms) routing through transshipment hubs. Illicit share inflated to %.2f%%.",' % (len(members), 100 * total_share))
    w("    seed: 2013,")
    w('    start_date: "2013-06-01",  // plausible; the exact operational dates are not in the programme text')
    w("    days: 38,")
    w("    declarations: 300000,      // quick sample; --declarations 50000000 for full scale")
    w("")
    w("    // STCE maturity by income tier (GDP per capita) and region: illustrative assumptions.")
    w("    administrations: [")
    for reg in REGION_ORDER:
        w("        // %s (%s): %d" % (region_names[reg], reg, len(regions[reg])))
        for i in regions[reg]:
            m = mat[i]
            eq = "[" + ", ".join(m["equipment"]) + "]"
            extra = "" if m["legal"] else ", legal_framework: false"
            w('        Administration(country: "%s", trained_officer_share: %s, equipment: %s, advance_information: %s, licensing_response_hours: %s%s),  // %s, %s income' % (
                i, fmt(m["trained"]), eq, fmt(m["advance"]), fmt(m["licensing"]), extra, wc[i]["name"], m["tier"]))
    w("    ],")
    w("")
    w("    // Capacity (officer-hours/day) = %s * sqrt(GDP, M US$) * the node's trade share, x%s at hubs." % (fmt(CAPACITY_K), fmt(HUB_FACTOR)))
    w("    nodes: [")
    for reg in REGION_ORDER:
        w("        // %s" % region_names[reg])
        for n in nodes:
            if wco[n["iso3"]]["wco_region_code"] != reg:
                continue
            parts = ['code: "%s"' % n["code"]]
            if n["kind"] == "Airport":
                parts.append("kind: Airport")
            if n["hub"]:
                parts.append("transshipment_hub: true")
            parts.append("trade_weight: %s" % fmt(round(n["weight"], 4)))
            parts.append('office: Office(capacity_hours: %s, strategy: "%s")' % (fmt(n["capacity"]), n["strategy"]))
            r = ports[n["code"]]["name"] if n["kind"] == "Seaport" else airports[n["code"]]["name"]
            w("        Node(%s),  // %s, %s" % (", ".join(parts), r, n["iso3"]))
    w("    ],")
    w("")
    w("    services: [")
    for name, mode, calls, freq in services:
        w('        Service(name: "%s", mode: %s, calls: [%s], frequency_days: %s),' % (
            name, mode, ", ".join('"%s"' % c for c in calls), fmt(freq)))
    w("        // Held back until the operation's NewService inject: a Black Sea-Red Sea express")
    w("        // that gives the Eastern Europe-East Africa arms network a direct way to its hubs.")
    w('        Service(name: "Black Sea-Red Sea express", mode: Sea, calls: ["UAODS", "ROCND", "BGVAR", "EGPSD", "DJJIB", "KEMBA", "TZDAR"], frequency_days: 7.0),')
    w("    ],")
    w("")
    watch = 'Watchlists(hs: [%s], countries: [%s])' % (", ".join('"%s"' % h for h in watch_hs), ", ".join('"%s"' % c for c in watch_countries))
    weights = ("{HsWatch: 2.0, NewTrader: 2.0, MissingLicence: 3.0, ValueAnomaly: 1.5, VagueDescription: 1.0,\n"
               "                      ViaHub: 0.5, NotAeo: 0.5, PriorViolations: 1.0, MissingAdvanceInfo: 0.5, CountryOfConcern: 0.5}")
    w("    strategies: [")
    w('        StrategyDef(name: "random", kind: Random(rate: 0.02)),')
    w('        StrategyDef(name: "profiles", kind: Rules(')
    w("            watch: %s," % watch)
    w("            profiles: [")
    w('                Profile(name: "watched goods from a new trader", all: [HsWatch, NewTrader]),')
    w('                Profile(name: "controlled goods without licence", all: [MissingLicence]),')
    w('                Profile(name: "watched goods, price far from norm", all: [HsWatch, ValueAnomaly]),')
    w('                Profile(name: "vague goods through a hub", all: [VagueDescription, ViaHub]),')
    w("            ],")
    w("        )),")
    w('        StrategyDef(name: "risk-score", kind: RiskScore(')
    w("            watch: %s," % watch)
    w("            weights: %s," % weights)
    w("            threshold: 1.0,")
    w("        )),")
    w("        // Learns P(violation | indicators) from its own inspections; 10% explores.")
    w('        StrategyDef(name: "learner", kind: Learner(watch: %s, exploration: 0.1)),' % watch)
    w("        // The usual guard against stale profiles: 90% risk score, 10% random.")
    w('        StrategyDef(name: "risk90-random10", kind: Mixture(parts: [("risk-score", 0.9), ("random", 0.1)])),')
    w("        // The profile the operation hands out: its watch lists plus the front companies")
    w("        // target building identified; alerts and watched entities first, then the risk score.")
    w('        StrategyDef(name: "cosmo2-profile", kind: IntelligenceLed(')
    w('            watch: Watchlists(hs: [%s], countries: [%s],' % (", ".join('"%s"' % h for h in watch_hs), ", ".join('"%s"' % c for c in watch_countries)))
    w('                              networks: ["Missile components network", "Precursor procurement network"], entity_coverage: 0.2),')
    w("            weights: %s," % weights)
    w("            threshold: 1.0,")
    w("        )),")
    w("    ],")
    w("")
    w("    trade: Gravity(gdp_origin_exponent: 1.0, gdp_destination_exponent: 1.0, distance_exponent: 1.0),")
    w("")
    w("    commodities: [")
    for name, hs, share, cat, cas, vpk, kg in commodities:
        parts = ['name: "%s"' % name, 'hs: "%s"' % hs, "share: %s" % fmt(share)]
        if cat:
            parts.append("category: %s" % cat)
        if cas:
            parts.append('cas: "%s"' % cas)
        parts += ["value_per_kg: %s" % fmt(vpk), "kg: %s" % fmt(kg)]
        w("        Commodity(%s)," % ", ".join(parts))
    w("    ],")
    w("")
    w("    traders: TraderModel(per_country: 400),")
    w("")
    w("    // Illustrative networks: no claim about any real company or country.")
    w("    illicit: [")
    for net in networks:
        q = lambda xs: "[" + ", ".join('"%s"' % x for x in xs) + "]"
        w("        Network(")
        w('            name: "%s",' % net["name"])
        w("            share: %s," % fmt(net["share"]))
        w("            seeks: %s," % q(net["seeks"]))
        w("            origins: %s," % q(net["origins"]))
        w("            destinations: %s," % q(net["destinations"]))
        w("            via: %s," % q(net["via"]))
        w("            concealment: %s," % net["concealment"])
        w("            cover_hs: %s," % q(net["cover_hs"]))
        if net["extra"]:
            w("            %s," % net["extra"])
        w("        ),")
    w("    ],")
    if os.path.exists(PART):
        with open(PART, encoding="utf-8") as f:
            part = f.read().rstrip("\n")
        w("")
        w(part)
    w(")")
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(L) + "\n")

    hubs_n = sum(1 for n in nodes if n["hub"])
    print("wrote %s: %d administrations (%s), %d nodes (%d seaports, %d airports), %d hubs, %d services (%d sea, %d air)" % (
        os.path.relpath(OUT, ROOT), len(members), ", ".join("%s %d" % (r, len(regions[r])) for r in REGION_ORDER),
        len(nodes), sum(n["kind"] == "Seaport" for n in nodes), sum(n["kind"] == "Airport" for n in nodes), hubs_n,
        len(services), sum(s[1] == "Sea" for s in services), sum(s[1] == "Air" for s in services)), file=sys.stderr)
    for n in notes:
        print("  note: " + n, file=sys.stderr)


if __name__ == "__main__":
    main()
