#!/usr/bin/env python3
"""Generates the demo dataset in data/demo/: FICTIONAL figures in real CBS formats.

Voorbeeldstad (GM9990) with twelve wijken and their buurten, seven other fictional
gemeenten (peers), and Nederland. Every number here is invented; the files only copy
the column layout of the CBS StatLine OData tables (85984NED, 86003NED, 86088NED,
86008NED, 83648NED, 85036NED, 85995NED, 85999NED) and of the Politie's 47018NED on
CBS's second feed. Deterministic: the same script gives the same files. Run from the repository root:  python3 data/demo-src/generate.py
"""
import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "demo"
rng = random.Random(20261123)

GEMEENTEN = [
    ("GM9990", "Voorbeeldstad", 48210, 0.31),  # code, name, inwoners, share buiten Europa
    ("GM9991", "Rivierdal", 31400, 0.12),
    ("GM9992", "Heuvelrug-Oost", 52900, 0.09),
    ("GM9993", "Zandhoven", 44100, 0.22),
    ("GM9994", "Polderwaard", 27600, 0.07),
    ("GM9995", "Kanaalzijde", 61800, 0.27),
    ("GM9996", "Dijkveen", 39300, 0.15),
    ("GM9997", "Bosrand", 22500, 0.05),
]
VOORBEELDSTAD_WIJKEN = [
    "Centrum", "Noord", "Zuid", "Oost", "West", "Havenkwartier", "Tuindorp",
    "De Velden", "Stationsgebied", "Oude Dorp", "Parkwijk", "Buitengebied",
]
BUURT_SUFFIX = ["-Noord", "-Zuid", "-Midden"]


def profile(kind, share_be):
    """A region's structure: shares and rates drawn around a type."""
    urban = kind
    p = {
        "k0": rng.uniform(0.12, 0.19),
        "k15": rng.uniform(0.09, 0.20) if urban else rng.uniform(0.09, 0.12),
        "k65": rng.uniform(0.10, 0.20) if urban else rng.uniform(0.19, 0.27),
        "be": max(0.01, min(0.7, share_be * rng.uniform(0.5, 1.8))),
        "eu": rng.uniform(0.04, 0.12),
        "woz": rng.uniform(250, 480),
        "koop": rng.uniform(0.25, 0.75),
        "corp": rng.uniform(0.10, 0.50),
        "onbewoond": rng.uniform(0.02, 0.08),
        "bijstand": rng.uniform(0.01, 0.07),
        "ww": rng.uniform(0.007, 0.02),
        "ao": rng.uniform(0.04, 0.08),
        "dichtheid": rng.uniform(1500, 9000) if urban else rng.uniform(150, 1200),
        "hh": rng.uniform(1.7, 2.6),
    }
    p["k25"] = rng.uniform(0.22, 0.33)
    p["k45"] = max(0.05, 1 - p["k0"] - p["k15"] - p["k25"] - p["k65"])
    return p


def split(n, shares):
    out = [int(round(n * s)) for s in shares]
    out[-1] = n - sum(out[:-1])
    return out


regions = []  # (code, name, gemeente_name, soort, inwoners, profile)
nl = ("NL01", "Nederland", "", "Land", 17942942, profile(True, 0.185))
nl[5].update({"k0": 0.151, "k15": 0.123, "k25": 0.256, "k45": 0.265, "k65": 0.205, "be": 0.185, "eu": 0.093,
              "woz": 379, "koop": 0.57, "corp": 0.28, "onbewoond": 0.04, "bijstand": 0.026, "ww": 0.01,
              "ao": 0.05, "dichtheid": 533, "hh": 2.1})
regions.append(nl)
for code, name, n, be in GEMEENTEN:
    p = profile(code in ("GM9990", "GM9993", "GM9995"), be)
    if code == "GM9990":
        p.update({"bijstand": 0.048, "be": 0.31, "woz": 317, "k65": 0.16, "k15": 0.17, "dichtheid": 2400})
    regions.append((code, name, name, "Gemeente", n, p))
    num = code[2:]
    wijken = VOORBEELDSTAD_WIJKEN if code == "GM9990" else ["Kern", "Buitengebied"]
    shares = [rng.uniform(0.5, 1.5) for _ in wijken]
    total = sum(shares)
    sizes = split(n, [s / total for s in shares])
    for w, (wname, wn) in enumerate(zip(wijken, sizes)):
        wcode = f"WK{num}{w:02d}"
        wp = profile(code in ("GM9990", "GM9993", "GM9995") and wname != "Buitengebied", p["be"])
        if code == "GM9990" and wname == "Havenkwartier":
            wp.update({"bijstand": 0.11, "be": 0.58, "woz": 205, "corp": 0.62, "koop": 0.22})
        if code == "GM9990" and wname == "Parkwijk":
            wp.update({"bijstand": 0.008, "be": 0.08, "woz": 520, "koop": 0.84, "corp": 0.05})
        regions.append((wcode, wname, name, "Wijk", wn, wp))
        nb = 3 if code == "GM9990" else 1
        bsizes = split(wn, [1 / nb] * nb)
        for b in range(nb):
            bname = wname + (BUURT_SUFFIX[b] if nb > 1 else "")
            bp = dict(wp)
            bp["bijstand"] *= rng.uniform(0.7, 1.3)
            regions.append((f"BU{num}{w:02d}{b:02d}", bname, name, "Buurt", bsizes[b], bp))

# A tiny buurt whose figures CBS would keep secret.
regions.append(("BU99901199", "Buitengebied-Polder", "Voorbeeldstad", "Buurt", 5, profile(False, 0.05)))

HEADER_KWB = ("ID;WijkenEnBuurten;Gemeentenaam_1;SoortRegio_2;Codering_3;IndelingswijzigingGemeenteWijkBuurt_4;"
              "AantalInwoners_5;Mannen_6;Vrouwen_7;k_0Tot15Jaar_8;k_15Tot25Jaar_9;k_25Tot45Jaar_10;k_45Tot65Jaar_11;"
              "k_65JaarOfOuder_12;Nederland_17;EuropaExclusiefNederland_18;BuitenEuropa_19;Nederland_20;"
              "EuropaExclusiefNederland_21;BuitenEuropa_22;EuropaExclusiefNederland_23;BuitenEuropa_24;"
              "HuishoudensTotaal_29;Eenpersoonshuishoudens_30;HuishoudensZonderKinderen_31;HuishoudensMetKinderen_32;"
              "GemiddeldeHuishoudensgrootte_33;Bevolkingsdichtheid_34;Woningvoorraad_35;GemiddeldeWOZWaardeVanWoningen_39;"
              "PercentageEengezinswoning_40;OnbewoondeWoningen_46;Koopwoningen_47;HuurwoningenTotaal_48;"
              "InBezitWoningcorporatie_49;InBezitOverigeVerhuurders_50;Omgevingsadressendichtheid_116;"
              "GemiddeldeElektriciteitsleveringTotaal_53;GemiddeldAardgasverbruikTotaal_61;"
              "PercentageWoningenMetStadsverwarming_69;PersonenautoSTotaal_111;PersonenautoSOverigeBrandstof_113")

# The energy figures come from a generator of their own, so the figures above stay the
# same when this part changes.
erng = random.Random(32)


def energy(p):
    """Gas (m³), electricity (kWh) and stadsverwarming (%) of a region's dwellings:
    dense areas (more flats) use less gas; some dense areas have a heat network."""
    dense = min(p["dichtheid"], 9000) / 9000
    gas = 1500 - 900 * dense + erng.uniform(-120, 120)
    ele = 3100 - 900 * dense + erng.uniform(-150, 150)
    warmte = erng.uniform(8, 45) if dense > 0.4 and erng.random() < 0.5 else erng.uniform(0, 2)
    return gas, ele, warmte


def pad(s, n):
    return s.ljust(n)


def kwb_row(i, r):
    code, name, gm, soort, n, p = r
    if n < 10:
        # CBS keeps everything but the count secret for a handful of inhabitants.
        cells = [str(i), name, pad(gm, 40), pad(soort, 10), pad(code, 10), "1", str(n)] + ["."] * (len(HEADER_KWB.split(";")) - 7)
        return ";".join(cells)
    ages = split(n, [p["k0"], p["k15"], p["k25"], p["k45"], p["k65"]])
    nlh, eu, be = split(n, [1 - p["eu"] - p["be"], p["eu"], p["be"]])
    eu_nl = int(eu * 0.35)
    be_nl = int(be * 0.45)
    hh = int(n / p["hh"])
    een = int(hh * rng.uniform(0.30, 0.55))
    kind = int(hh * rng.uniform(0.2, 0.38))
    zonder = hh - een - kind
    won = int(hh * 1.04)
    koop = round(p["koop"] * 100)
    corp = min(round(p["corp"] * 100), 95 - koop)
    overig = max(0, 100 - koop - corp)
    oad = int(p["dichtheid"] * rng.uniform(0.7, 1.1))
    cells = [
        str(i), name, pad(gm, 40), pad(soort, 10), pad(code, 10), "1", str(n), str(n // 2), str(n - n // 2),
        *map(str, ages), str(nlh), str(eu), str(be), str(nlh), str(eu_nl), str(be_nl), str(eu - eu_nl), str(be - be_nl),
        str(hh), str(een), str(zonder), str(kind), f"{p['hh']:.1f}", str(int(p["dichtheid"])), str(won),
        str(int(p["woz"])), str(round(rng.uniform(0.3, 0.8) * 100)), f"{p['onbewoond'] * 100:.1f}",
        str(koop), str(100 - koop), str(corp), str(overig), str(oad),
    ]
    gas, ele, warmte = energy(p)
    autos = int(n * erng.uniform(0.35, 0.55))
    cells += [f"{round(ele, -1):.0f}", f"{round(gas, -1):.0f}", f"{warmte:.0f}", str(autos),
              str(int(autos * erng.uniform(0.22, 0.34)))]
    return ";".join(cells)


def land_and_gemeenten():
    """Nederland and the gemeenten: the regions of the RegioS tables."""
    return [r for r in regions if r[3] in ("Land", "Gemeente")]


def write(name, text):
    (OUT / name).write_text(text, encoding="utf-8-sig" if name.endswith(".csv") else "utf-8")


OUT.mkdir(exist_ok=True)
write("85984NED_TypedDataSet.csv", "\n".join([HEADER_KWB] + [kwb_row(i, r) for i, r in enumerate(regions)]) + "\n")

# 86003NED: uitkeringen per wijk en buurt (two half-years; the later one counts).
h = ("ID;WijkenEnBuurten;Perioden;Gemeentenaam_1;SoortRegio_2;Codering_3;IndelingswijzigingWijkenEnBuurten_4;"
     "Werkloosheidsuitkering_5;Bijstandsuitkering_6;Arbeidsongeschiktheidsuitkering_7;AOWUitkering_8;"
     "Werkloosheidsuitkering_9;Bijstandsuitkering_10;Arbeidsongeschiktheidsuitkering_11;AOWUitkering_12;"
     "InwonersVanaf15Jaar_13;InwonersVanaf15JrTotAOWLeeftijd_14;InwonersVanafDeAOWLeeftijd_15")
rows = [h]
k = 0
for code, name, gm, soort, n, p in regions:
    for period in ("2024 maart", "2024 september"):
        if n < 10:
            rows.append(f"{k};{code};{period};{pad(gm, 40)};{soort};{pad(code, 10)};1;.;.;.;.;.;.;.;.;.;.;.")
        else:
            n15 = int(n * (1 - p["k0"]))
            aow = int(n * p["k65"])
            ww, bij, ao = int(n15 * p["ww"]), int(n15 * p["bijstand"]), int(n15 * p["ao"])
            rows.append(f"{k};{code};{period};{pad(gm, 40)};{soort};{pad(code, 10)};1;{ww};{bij};{ao};{aow};"
                        f"{ww / n15 * 100:.1f};{bij / n15 * 100:.1f};{ao / n15 * 100:.1f};{aow / n15 * 100:.1f};{n15};{n15 - aow};{aow}")
        k += 1
write("86003NED_TypedDataSet.csv", "\n".join(rows) + "\n")

# 86088NED: werkloosheid and netto arbeidsparticipatie per gemeente, 2019-2024.
rows = ["ID;Persoonskenmerken;RegioS;Perioden;BeroepsEnNietBeroepsbevolking_1;Beroepsbevolking_2;"
        "WerkzameBeroepsbevolking_3;WerklozeBeroepsbevolking_12;Werkloosheidspercentage_13;NettoArbeidsparticipatie_16"]
k = 0
for code, name, gm, soort, n, p in land_and_gemeenten():
    base_w = 3.6 + (p["bijstand"] - 0.026) * 40
    base_p = 69.5 - (p["bijstand"] - 0.026) * 60
    for j, year in enumerate(range(2019, 2025)):
        covid = 0.8 if year in (2020, 2021) else 0.0
        w = max(2.0, base_w + covid - 0.15 * j + rng.uniform(-0.2, 0.2))
        part = base_p - covid + 0.3 * j + rng.uniform(-0.4, 0.4)
        pop = int(n * 0.75)
        rows.append(f"{k};Totaal personen;{name};{year}{'*' if year == 2024 else ''};{pop / 1000:.0f};"
                    f"{pop * 0.72 / 1000:.0f};{pop * part / 100 / 1000:.0f};{pop * 0.72 * w / 100 / 1000:.0f};{w:.1f};{part:.1f}")
        k += 1
write("86088NED_TypedDataSet.csv", "\n".join(rows) + "\n")

# 86008NED: netto arbeidsparticipatie per herkomst (for the per-group comparison).
rows = ["ID;Geslacht;Persoonskenmerken;GeboortelandOuders;Herkomstland;RegioS;Perioden;BeroepsEnNietBeroepsbevolking_1;"
        "WerkzameBeroepsbevolking_2;NettoArbeidsparticipatie_3;Werknemer_4;WerknemerMetVasteArbeidsrelatie_5;"
        "WerknemerMetFlexibeleArbeidsrelatie_6;Zelfstandige_7;ZelfstandigeZonderPersoneelZzp_8;ZelfstMetPersoneelEnMeewGezinslid_9"]
k = 0
for code, name, gm, soort, n, p in land_and_gemeenten():
    for herkomst, factor, share in (("Totaal", 1.0, 1.0), ("Nederland", 1.03, 1 - p["be"] - p["eu"]),
                                    ("Europa (exclusief Nederland)", 0.97, p["eu"]), ("Buiten Europa", 0.86, p["be"])):
        pop = int(n * 0.75 * share)
        part = (70 - (p["bijstand"] - 0.026) * 60) * factor + rng.uniform(-1, 1)
        rows.append(f"{k};Totaal mannen en vrouwen;Totaal personen;Totaal;{herkomst};{name};2023;{pop};{int(pop * part / 100)};{part:.0f};84;55;29;16;12;4")
        k += 1
write("86008NED_TypedDataSet.csv", "\n".join(rows) + "\n")

# 83648NED: geregistreerde misdrijven per gemeente, 2015-2024.
rows = ["ID;SoortMisdrijf;RegioS;Perioden;TotaalGeregistreerdeMisdrijven_1;GeregistreerdeMisdrijvenRelatief_2;"
        "GeregistreerdeMisdrijvenPer1000Inw_3;TotaalOpgehelderdeMisdrijven_4;OpgehelderdeMisdrijvenRelatief_5;RegistratiesVanVerdachten_6"]
k = 0
for code, name, gm, soort, n, p in land_and_gemeenten():
    base = 45 + (p["dichtheid"] - 533) / 200 + rng.uniform(-5, 5)
    if code == "GM9990":
        base = 58
    for j, year in enumerate(range(2015, 2025)):
        rate = max(15, base * (1.25 - 0.03 * j) + rng.uniform(-1.5, 1.5))
        total = int(rate * n / 1000)
        rows.append(f"{k};Misdrijven, totaal;{name};{year};{total};100.0;{rate:.1f};{int(total * 0.27)};27.0;{int(total * 0.3)}")
        k += 1
write("83648NED_TypedDataSet.csv", "\n".join(rows) + "\n")

# 85036NED: gemiddelde WOZ-waarde per gemeente, 2019-2024.
rows = ["ID;RegioS;Eigendom;Perioden;GemiddeldeWOZWaardeVanWoningen_1"]
k = 0
for code, name, gm, soort, n, p in land_and_gemeenten():
    for j, year in enumerate(range(2019, 2025)):
        rows.append(f"{k};{name};Totaal;{year};{p['woz'] * (0.70 + 0.06 * j):.0f}")
        k += 1
write("85036NED_TypedDataSet.csv", "\n".join(rows) + "\n")

# 85995NED: Wmo-cliënten per wijk (OData JSON).
values = []
for i, (code, name, gm, soort, n, p) in enumerate(r for r in regions if r[3] in ("Land", "Gemeente", "Wijk")):
    per1000 = int(55 + p["k65"] * 120 + rng.uniform(-6, 6))
    values.append({"ID": i, "Financieringsvorm": "T001019", "Wijken": pad(code, 8), "Perioden": "2024HJ01",
                   "Gemeentenaam_1": pad(gm, 40), "SoortRegio_2": pad(soort, 8), "Codering_3": pad(code, 8),
                   "IndelingswijzigingWijken_4": "1", "WmoClienten_5": int(n * per1000 / 1000), "WmoClientenPer1000Inwoners_6": per1000})
doc = {"odata.metadata": "https://opendata.cbs.nl/ODataApi/odata/85995NED/$metadata#Cbs.OData.WebAPI.TypedDataSet", "value": values}
write("85995NED_TypedDataSet.json", json.dumps(doc, ensure_ascii=False, indent=0) + "\n")

# 85999NED: energieverbruik particuliere woningen per wijk en buurt, 2023 (the edition
# before the KWB 2024): Totaal woningen and one kind of dwelling that the import leaves
# out; a few per cent more gas than in 2024. Its own generator, as the energy above.
erng23 = random.Random(2023)
rows = ["ID;Woningkenmerken;WijkenEnBuurten;Gemeentenaam_1;SoortRegio_2;Codering_3;GemiddeldAardgasverbruik_4;"
        "GemiddeldeElektriciteitslevering_5;GemiddeldeNettoElektriciteitslevering_6;Stadsverwarming_7;"
        "IndelingswijzigingWijkenEnBuurten_8"]
k = 0
for code, name, gm, soort, n, p in regions:
    if n < 10:
        continue
    dense = min(p["dichtheid"], 9000) / 9000
    gas = 1560 - 900 * dense + erng23.uniform(-120, 120)
    ele = 3150 - 900 * dense + erng23.uniform(-150, 150)
    net = ele * erng23.uniform(0.70, 0.92)
    for kind, factor in (("Totaal woningen", 1.0), ("Appartement", 0.62)):
        rows.append(f"{k};{kind};{name};{pad(gm, 40)};{pad(soort, 10)};{pad(code, 10)};{round(gas * factor, -1):.1f};"
                    f"{round(ele * factor, -1):.1f};{round(net * factor, -1):.1f};;1")
        k += 1
write("85999NED_TypedDataSet.csv", "\n".join(rows) + "\n")

# 47018NED: geregistreerde misdrijven per wijk en buurt (the Politie's table on CBS's
# second feed, dataderden), 2023 and 2024, as its TypedDataSet: SoortMisdrijf keys with
# a trailing space ("0.0.0 "), padded region codes ("NL00      "), Perioden "2024JJ00",
# counts only. Only some kinds (a group of which some kinds are absent adds up those
# present), each a part of the total, and one that no group reads (1.3.1 Ongevallen);
# the tiny buurt is left out. Its own generator.
crng = random.Random(47018)
KINDS = [("1.1.1 ", 0.05), ("1.1.2 ", 0.02), ("1.2.3 ", 0.09), ("1.3.1 ", 0.01), ("1.4.5 ", 0.07), ("2.2.1 ", 0.10)]
values = []
for code, name, gm, soort, n, p in regions:
    if n < 10:
        continue
    base = 45 + (p["dichtheid"] - 533) / 200 + crng.uniform(-8, 8)
    # 2023 for Nederland, the gemeenten and the wijken (no KWB 2023 here: a count
    # without a rate); 2024 everywhere.
    for year in (2023, 2024) if soort != "Buurt" else (2024,):
        total = int(max(10, base * (1.04 if year == 2023 else 1.0)) * n / 1000)
        key = "NL00" if code == "NL01" else code
        for kind, share in [("0.0.0 ", 1.0)] + KINDS:
            count = total if share == 1.0 else int(total * share * crng.uniform(0.7, 1.3))
            values.append({"ID": len(values), "SoortMisdrijf": kind, "WijkenEnBuurten": pad(key, 10),
                           "Perioden": f"{year}JJ00", "GeregistreerdeMisdrijven_1": count})
doc = {"odata.metadata": "https://dataderden.cbs.nl/ODataApi/odata/47018NED/$metadata#Cbs.OData.WebAPI.TypedDataSet",
       "value": values}
write("47018NED_TypedDataSet.json", json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")

# Outlines (PDOK WFS GeoJSON shape, WGS84), as invented as the figures: the gemeenten
# on a jittered 3 x 3 grid around Voorbeeldstad (one cell is water), Voorbeeldstad's
# twelve wijken tiling its cell exactly. A separate generator, so the tables above stay
# the same when this part changes.
geo = random.Random(9990)
LON0, LAT0, DLON, DLAT = 4.70, 52.00, 0.26, 0.16


def corner(i, j):
    """Grid corner (i, j) of the gemeente grid, jittered inside, fixed on the rim."""
    inner = 0 < i < 3 and 0 < j < 3
    jx = geo.uniform(-0.05, 0.05) * DLON if inner else 0.0
    jy = geo.uniform(-0.05, 0.05) * DLAT if inner else 0.0
    return (LON0 + i * DLON + jx, LAT0 + j * DLAT + jy)


CORNERS = {(i, j): corner(i, j) for i in range(4) for j in range(4)}
MIDS = {}


def mid(a, b):
    """A jittered point between two corners, shared by the two cells along that edge."""
    key = tuple(sorted((a, b)))
    if key not in MIDS:
        (x0, y0), (x1, y1) = CORNERS[a], CORNERS[b]
        t = geo.uniform(0.4, 0.6)
        MIDS[key] = (x0 + (x1 - x0) * t + geo.uniform(-0.04, 0.04) * DLON,
                     y0 + (y1 - y0) * t + geo.uniform(-0.04, 0.04) * DLAT)
    return MIDS[key]


def cell_ring(i, j, straight=()):
    """The outline of gemeente cell (i, j); edges in `straight` get no midpoint."""
    path = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
    ring = []
    for a, b in zip(path, path[1:] + path[:1]):
        ring.append(CORNERS[a])
        if (a, b) not in straight and (b, a) not in straight:
            ring.append(mid(a, b))
    return ring + [ring[0]]


def rounded(ring):
    return [[round(x, 5), round(y, 5)] for x, y in ring]


# Voorbeeldstad in the middle cell (1, 1), with straight edges so its wijken tile it.
centre = [(1, 1), (2, 1), (2, 2), (1, 2)]
straight = set(zip(centre, centre[1:] + centre[:1]))
# Cells next to the centre share its edges; keep those straight too.
places = [(0, 0), (1, 0), (2, 0), (0, 1), (2, 1), (0, 2), (1, 2)]  # (2, 2): water
features = []
for (code, name, n, be), (i, j) in zip(GEMEENTEN, [(1, 1)] + places):
    ring = cell_ring(i, j, straight)
    features.append({"type": "Feature", "properties": {"gemeentecode": code, "gemeentenaam": name},
                     "geometry": {"type": "Polygon", "coordinates": [rounded(ring)]}})
doc = {"type": "FeatureCollection", "metadata": {"type": "gemeenten", "year": 2024, "fictief": True},
       "features": features}
write("gemeenten_2024.geojson", json.dumps(doc, ensure_ascii=False) + "\n")

A, B, C, D = (CORNERS[c] for c in centre)


def bilinear(u, v):
    return tuple((1 - u) * (1 - v) * a + u * (1 - v) * b + u * v * c + (1 - u) * v * d
                 for a, b, c, d in zip(A, B, C, D))


NU, NV = 4, 3
pts = {}
for a in range(NU + 1):
    for b in range(NV + 1):
        inner = 0 < a < NU and 0 < b < NV
        du = geo.uniform(-0.07, 0.07) if inner else 0.0
        dv = geo.uniform(-0.07, 0.07) if inner else 0.0
        pts[(a, b)] = bilinear(a / NU + du, b / NV + dv)
# Wijk k sits in grid cell (k % 4, k // 4); Centrum (k = 0) is moved to the middle.
order = [5, 0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11]
features = []
for k, name in enumerate(VOORBEELDSTAD_WIJKEN):
    c = order[k]
    a, b = c % NU, c // NU
    ring = [pts[(a, b)], pts[(a + 1, b)], pts[(a + 1, b + 1)], pts[(a, b + 1)], pts[(a, b)]]
    features.append({"type": "Feature",
                     "properties": {"wijkcode": f"WK9990{k:02d}", "wijknaam": name,
                                    "gemeentecode": "GM9990", "gemeentenaam": "Voorbeeldstad"},
                     "geometry": {"type": "Polygon", "coordinates": [rounded(ring)]}})
doc = {"type": "FeatureCollection", "metadata": {"type": "wijken", "year": 2024, "fictief": True},
       "features": features}
write("wijken_2024.geojson", json.dumps(doc, ensure_ascii=False) + "\n")

# Buurten: each Voorbeeldstad wijk split into three strips (its buurten 00, 01, 02);
# the tiny buurt BU99901199 has no outline, as a real buurt without a map can have.
features = []
for k, name in enumerate(VOORBEELDSTAD_WIJKEN):
    c = order[k]
    a, b = c % NU, c // NU
    p00, p10, p11, p01 = pts[(a, b)], pts[(a + 1, b)], pts[(a + 1, b + 1)], pts[(a, b + 1)]

    def lerp(p, q, t):
        return tuple(x + (y - x) * t for x, y in zip(p, q))

    for s in range(3):
        t0, t1 = s / 3, (s + 1) / 3
        ring = [lerp(p00, p10, t0), lerp(p00, p10, t1), lerp(p01, p11, t1), lerp(p01, p11, t0)]
        ring.append(ring[0])
        features.append({"type": "Feature",
                         "properties": {"buurtcode": f"BU9990{k:02d}{s:02d}", "buurtnaam": name + BUURT_SUFFIX[s],
                                        "wijkcode": f"WK9990{k:02d}", "wijknaam": name,
                                        "gemeentecode": "GM9990", "gemeentenaam": "Voorbeeldstad"},
                         "geometry": {"type": "Polygon", "coordinates": [rounded(ring)]}})
doc = {"type": "FeatureCollection", "metadata": {"type": "buurten", "year": 2024, "fictief": True},
       "features": features}
write("buurten_2024.geojson", json.dumps(doc, ensure_ascii=False) + "\n")

(OUT / "LEESMIJ.txt").write_text(
    "FICTIEVE GEGEVENS. Deze bestanden zijn gemaakt door data/demo-src/generate.py voor de demo van wijkmonitor.\n"
    "Voorbeeldstad en de andere gemeenten bestaan niet; alle cijfers zijn verzonnen. Alleen de kolomindeling volgt\n"
    "de CBS-tabellen 85984NED, 86003NED, 86088NED, 86008NED, 83648NED, 85036NED, 85995NED en 85999NED, de\n"
    "politietabel 47018NED (zoals CBS die voor de politie publiceert), en de omtrekken (gemeenten_2024.geojson,\n"
    "wijken_2024.geojson, buurten_2024.geojson) die van de PDOK-wijk- en buurtkaart.\n",
    encoding="utf-8",
)
print(f"{len(regions)} regions written to {OUT}")
