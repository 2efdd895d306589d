"""Regenerate ``states.tsv`` from pycountry plus the hand-written table below.

    .venv/bin/python data/gazetteer/build_states.py

pycountry supplies every ISO 3166-1 entry (alpha-3 code, English short and
official names, the Korean name from its ``ko`` gettext catalogue).  The table
below adds what pycountry does not know: the kind of entity (UN member,
observer, territory, other), the Wikidata id, the everyday names used in news
(한국, 북한, 미국; South Korea, Czech Republic), aliases and demonyms in both
languages, Hanja one-character forms (美, 日, 中) and the one-syllable Korean
abbreviations used inside compounds such as 한미일 or 러북 (``abbr_ko``).

Merge rule: a name from the table wins; pycountry's names that differ from it
are kept as aliases (inverted ISO forms like "Korea, Republic of" are dropped).
Entries not in the table are territories named as pycountry names them.
No network is needed.
"""
# ruff: noqa: E501

from __future__ import annotations

import csv
import gettext
import sys
from pathlib import Path

import pycountry

HERE = Path(__file__).resolve().parent
COLUMNS = ["code", "kind", "wikidata", "name_en", "name_ko", "aliases_en", "aliases_ko", "abbr_ko"]

# One line a state:  code ; kind ; wikidata ; name_en ; name_ko ; aliases_en ; aliases_ko ; abbr_ko
# An empty name means "take pycountry's".  Lists are separated by "|".
# abbr_ko holds only abbreviations that Korean news really uses in compounds
# (한미일, 남북, 러북, 한호, 한베, 독불, 러우 전쟁, 이팔 전쟁 ...).
TABLE = """
AFG; member; Q889; ; ; Afghan|Afghans|Islamic Emirate of Afghanistan; 아프간|아프가니스탄인;
ALB; member; Q222; ; ; Albanian|Albanians; 알바니아인;
DZA; member; Q262; ; ; Algerian|Algerians; 알제리인;
AND; member; Q228; ; ; Andorran|Andorrans; ;
AGO; member; Q916; ; ; Angolan|Angolans; ;
ATG; member; Q781; ; 앤티가바부다; Antiguan|Antiguans|Barbudan|Barbudans; ;
ARG; member; Q414; ; ; Argentine|Argentines|Argentinian|Argentinean|Argentine Republic; 아르헨티나인;
ARM; member; Q399; ; ; Armenian|Armenians; 아르메니아인;
AUS; member; Q408; ; 호주; Australian|Australians|Commonwealth of Australia|Aussie; 오스트레일리아|濠洲|濠|호주인;호
AUT; member; Q40; ; ; Austrian|Austrians; 오스트리아인;
AZE; member; Q227; ; ; Azerbaijani|Azerbaijanis|Azeri|Azeris; 아제르바이잔인;
BHS; member; Q778; ; ; The Bahamas|Bahamian|Bahamians; ;
BHR; member; Q398; ; ; Bahraini|Bahrainis; ;
BGD; member; Q902; ; ; Bangladeshi|Bangladeshis; 방글라데시인;
BRB; member; Q244; ; ; Barbadian|Barbadians|Bajan; ;
BLR; member; Q184; ; ; Belarusian|Belarusians|Byelorussia; 벨로루시|벨라루스인;
BEL; member; Q31; ; ; Belgian|Belgians; 벨기에인;
BLZ; member; Q242; ; ; Belizean|Belizeans; ;
BEN; member; Q962; ; ; Beninese; ;
BTN; member; Q917; ; ; Bhutanese; ;
BOL; member; Q750; Bolivia; 볼리비아; Bolivian|Bolivians; ;
BIH; member; Q225; ; 보스니아헤르체고비나; Bosnia|Bosnia-Herzegovina|Bosnian|Bosnians|Herzegovinian; 보스니아;
BWA; member; Q963; ; ; Motswana|Batswana|Botswanan; ;
BRA; member; Q155; ; ; Brazilian|Brazilians; 브라질인;
BRN; member; Q921; Brunei; 브루나이; Bruneian|Bruneians; ;
BGR; member; Q219; ; ; Bulgarian|Bulgarians; 불가리아인;
BFA; member; Q965; ; ; Burkinabe|Burkinabè; ;
BDI; member; Q967; ; ; Burundian|Burundians; ;
CPV; member; Q1011; ; ; Cape Verde|Cape Verdean|Cape Verdeans; ;
KHM; member; Q424; ; ; Cambodian|Cambodians|Kampuchea; 캄보디아인|캄보디아 왕국;
CMR; member; Q1009; ; ; Cameroonian|Cameroonians; ;
CAN; member; Q16; ; ; Canadian|Canadians; 캐나다인|加;캐
CAF; member; Q929; ; 중앙아프리카공화국; Central African|CAR; 중앙아프리카;
TCD; member; Q657; ; ; Chadian|Chadians; ;
CHL; member; Q298; ; ; Chilean|Chileans; 칠레인;
CHN; member; Q148; ; ; PRC|P.R.C.|Chinese|Mainland China; 중화인민공화국|中國|中国|中|중국인;중
COL; member; Q739; ; ; Colombian|Colombians; 콜롬비아인;
COM; member; Q970; ; ; Comorian|Comoran|Comorians; ;
COG; member; Q971; ; ; Republic of Congo|Congo-Brazzaville|Congo Republic; 콩고공화국|콩고 공화국;
COD; member; Q974; Democratic Republic of the Congo; 콩고민주공화국; Democratic Republic of Congo|DR Congo|D.R. Congo|DRC|Congo-Kinshasa|Congolese|Zaire; 민주콩고|DR콩고;
CRI; member; Q800; ; ; Costa Rican|Costa Ricans; ;
CIV; member; Q1008; ; ; Ivory Coast|Cote d'Ivoire|Ivorian|Ivorians; 아이보리코스트;
HRV; member; Q224; ; ; Croatian|Croatians|Croat|Croats; 크로아티아인;
CUB; member; Q241; ; ; Cuban|Cubans; 쿠바인;
CYP; member; Q229; ; ; Cypriot|Cypriots; 사이프러스;
CZE; member; Q213; Czech Republic; 체코; Czechia|Czech|Czechs; 체코공화국|체코인;
DNK; member; Q35; ; ; Danish|Dane|Danes; 덴마크인;
DJI; member; Q977; ; ; Djiboutian|Djiboutians; ;
DMA; member; Q784; ; 도미니카연방; ; ;
DOM; member; Q786; ; 도미니카공화국; Dominican|Dominicans; 도미니카;
ECU; member; Q736; ; ; Ecuadorian|Ecuadorians|Ecuadorean; 에콰도르인;
EGY; member; Q79; ; ; Egyptian|Egyptians; 이집트인;
SLV; member; Q792; ; ; Salvadoran|Salvadorans; ;
GNQ; member; Q983; ; 적도기니; Equatorial Guinean|Equatoguinean; ;
ERI; member; Q986; ; ; Eritrean|Eritreans; ;
EST; member; Q191; ; ; Estonian|Estonians; 에스토니아인;
SWZ; member; Q1050; ; ; Swaziland|Swazi|Swazis; 스와질란드;
ETH; member; Q115; ; ; Ethiopian|Ethiopians; 에티오피아인;
FJI; member; Q712; ; ; Fijian|Fijians; ;
FIN; member; Q33; ; ; Finnish|Finn|Finns; 핀란드인;
FRA; member; Q142; ; ; French|Frenchman|Frenchmen; 프랑스인|佛|佛國;불
GAB; member; Q1000; ; ; Gabonese; ;
GMB; member; Q1005; ; ; The Gambia|Gambian|Gambians; ;
GEO; member; Q230; ; ; Georgian|Georgians; 그루지야|조지아인;
DEU; member; Q183; ; ; German|Germans|Deutschland; 독일인|獨|獨逸;독
GHA; member; Q117; ; ; Ghanaian|Ghanaians; 가나인;
GRC; member; Q41; ; ; Greek|Greeks|Hellas; 그리스인;
GRD; member; Q769; ; ; Grenadian|Grenadians; ;
GTM; member; Q774; ; ; Guatemalan|Guatemalans; ;
GIN; member; Q1006; ; ; Guinean|Guineans|Guinea-Conakry; ;
GNB; member; Q1007; ; ; Bissau-Guinean|Bissau-Guineans; ;
GUY; member; Q734; ; ; Guyanese; ;
HTI; member; Q790; ; ; Haitian|Haitians; 아이티인;
HND; member; Q783; ; ; Honduran|Hondurans; ;
HUN; member; Q28; ; ; Hungarian|Hungarians; 헝가리인;
ISL; member; Q189; ; ; Icelandic|Icelander|Icelanders; ;
IND; member; Q668; ; ; Indian|Indians|Bharat; 인도인|印;인
IDN; member; Q252; ; ; Indonesian|Indonesians; 인니|인도네시아인;
IRN; member; Q794; Iran; 이란; Iranian|Iranians|Persia; 이란인;
IRQ; member; Q796; ; ; Iraqi|Iraqis; 이라크인;
IRL; member; Q27; ; ; Irish|Republic of Ireland|Eire; 아일랜드인|에이레;
ISR; member; Q801; ; ; Israeli|Israelis; 이스라엘인;이
ITA; member; Q38; ; ; Italian|Italians; 이태리|이탈리아인;
JAM; member; Q766; ; ; Jamaican|Jamaicans; ;
JPN; member; Q17; ; ; Japanese|Nippon|Nihon; 日本|日|일본인;일
JOR; member; Q810; ; ; Jordanian|Jordanians; 요르단인;
KAZ; member; Q232; ; ; Kazakh|Kazakhs|Kazakhstani|Kazakstan; 카자흐|카자흐스탄인;
KEN; member; Q114; ; ; Kenyan|Kenyans; 케냐인;
KIR; member; Q710; ; ; I-Kiribati; ;
KWT; member; Q817; ; ; Kuwaiti|Kuwaitis; ;
KGZ; member; Q813; ; ; Kyrgyz|Kyrgyzstani|Kirghizia; 키르기스|키르기즈스탄;
LAO; member; Q819; Laos; 라오스; Lao|Lao PDR|Laotian|Laotians; 라오스인;
LVA; member; Q211; ; ; Latvian|Latvians; 라트비아인;
LBN; member; Q822; ; ; Lebanese; 레바논인;
LSO; member; Q1013; ; ; Mosotho|Basotho; ;
LBR; member; Q1014; ; ; Liberian|Liberians; ;
LBY; member; Q1016; ; ; Libyan|Libyans; 리비아인;
LIE; member; Q347; ; ; Liechtensteiner|Liechtensteiners; ;
LTU; member; Q37; ; ; Lithuanian|Lithuanians; 리투아니아인;
LUX; member; Q32; ; ; Luxembourger|Luxembourgers|Luxembourgish|Luxemburg; ;
MDG; member; Q1019; ; ; Malagasy; ;
MWI; member; Q1020; ; ; Malawian|Malawians; ;
MYS; member; Q833; ; ; Malaysian|Malaysians; 말레이시아인;
MDV; member; Q826; ; ; Maldivian|Maldivians; ;
MLI; member; Q912; ; ; Malian|Malians; ;
MLT; member; Q233; ; ; Maltese; ;
MHL; member; Q709; ; 마셜제도; Marshallese; ;
MRT; member; Q1025; ; ; Mauritanian|Mauritanians; ;
MUS; member; Q1027; ; ; Mauritian|Mauritians; ;
MEX; member; Q96; ; ; Mexican|Mexicans; 멕시코인;
FSM; member; Q702; Micronesia; 미크로네시아; Federated States of Micronesia|Micronesian|Micronesians; 미크로네시아연방;
MDA; member; Q217; Moldova; 몰도바; Moldovan|Moldovans|Moldavia; ;
MCO; member; Q235; ; ; Monegasque|Monacan; ;
MNG; member; Q711; ; ; Mongolian|Mongolians; 몽골인|몽고;몽
MNE; member; Q236; ; ; Montenegrin|Montenegrins; ;
MAR; member; Q1028; ; ; Moroccan|Moroccans; 모로코인;
MOZ; member; Q1029; ; ; Mozambican|Mozambicans; ;
MMR; member; Q836; ; ; Burma|Burmese|Myanmarese; 버마|미얀마인;
NAM; member; Q1030; ; ; Namibian|Namibians; ;
NRU; member; Q697; ; ; Nauruan|Nauruans; ;
NPL; member; Q837; ; ; Nepalese|Nepali|Nepalis; 네팔인;
NLD; member; Q55; ; ; Holland|Dutch|Dutchman; 홀란드|화란|네덜란드인;
NZL; member; Q664; ; ; New Zealander|New Zealanders|Aotearoa; 뉴질랜드인;뉴
NIC; member; Q811; ; ; Nicaraguan|Nicaraguans; ;
NER; member; Q1032; ; ; Nigerien|Nigeriens; ;
NGA; member; Q1033; ; ; Nigerian|Nigerians; 나이지리아인;
MKD; member; Q221; ; ; Macedonia|Macedonian|Macedonians|FYROM|Former Yugoslav Republic of Macedonia; 마케도니아;
NOR; member; Q20; ; ; Norwegian|Norwegians; 노르웨이인;
OMN; member; Q842; ; ; Omani|Omanis; ;
PAK; member; Q843; ; ; Pakistani|Pakistanis; 파키스탄인;
PLW; member; Q695; ; ; Palauan|Palauans; ;
PAN; member; Q804; ; ; Panamanian|Panamanians; 파나마인;
PNG; member; Q691; ; ; Papua New Guinean|Papua New Guineans|PNG; ;
PRY; member; Q733; ; ; Paraguayan|Paraguayans; ;
PER; member; Q419; ; ; Peruvian|Peruvians; 페루인;
PHL; member; Q928; ; ; Filipino|Filipinos|Filipina|Philippine; 필리핀인;
POL; member; Q36; ; ; Polish|Pole|Poles; 폴란드인;
PRT; member; Q45; ; ; Portuguese; 포르투갈인;
QAT; member; Q846; ; ; Qatari|Qataris; ;
KOR; member; Q884; South Korea; 한국; ROK|R.O.K.|Republic of Korea|Korea|Korean|Koreans|South Korean|South Koreans|S. Korea|S.Korea; 대한민국|남한|韓國|韓|한국인|우리나라|남측;한|남
PRK; member; Q423; North Korea; 북한; DPRK|D.P.R.K.|Democratic People's Republic of Korea|North Korean|North Koreans|N. Korea|N.Korea; 조선민주주의인민공화국|북조선|北韓|北朝鮮|北|북측;북
ROU; member; Q218; ; ; Romanian|Romanians|Rumania; 루마니아인;
RUS; member; Q159; Russia; 러시아; Russian|Russians; 러시아연방|露|俄|露西亞|俄羅斯|로씨야|러시아인;러
RWA; member; Q1037; ; ; Rwandan|Rwandans; ;
KNA; member; Q763; ; 세인트키츠네비스; St Kitts and Nevis|St. Kitts and Nevis|Kittitian|Kittian|Nevisian; ;
LCA; member; Q760; ; ; St Lucia|St. Lucia|Saint Lucian|Saint Lucians; ;
VCT; member; Q757; ; 세인트빈센트그레나딘; St Vincent and the Grenadines|St. Vincent and the Grenadines|Vincentian|Vincentians; ;
WSM; member; Q683; ; ; Samoan|Samoans; ;
SMR; member; Q238; ; ; Sammarinese|San Marinese; ;
STP; member; Q1039; ; 상투메프린시페; São Tomé and Príncipe|Sao Tomean|Santomean; ;
SAU; member; Q851; ; ; Saudi|Saudis|Saudi Arabian|KSA; 사우디|사우디인;
SEN; member; Q1041; ; ; Senegalese; 세네갈인;
SRB; member; Q403; ; ; Serbian|Serbians|Serb|Serbs; 세르비아인;
SYC; member; Q1042; ; ; Seychellois; ;
SLE; member; Q1044; ; ; Sierra Leonean|Sierra Leoneans; ;
SGP; member; Q334; ; ; Singaporean|Singaporeans; 싱가포르인|싱가폴;싱
SVK; member; Q214; ; ; Slovak|Slovaks|Slovakian; 슬로바키아인;
SVN; member; Q215; ; ; Slovenian|Slovenians|Slovene|Slovenes; 슬로베니아인;
SLB; member; Q685; ; 솔로몬제도; Solomons|Solomon Islander|Solomon Islanders; ;
SOM; member; Q1045; ; ; Somali|Somalis|Somalian; 소말리아인;
ZAF; member; Q258; ; 남아프리카공화국; South African|South Africans|RSA; 남아공|남아공인;
SSD; member; Q958; ; ; South Sudanese; ;
ESP; member; Q29; ; ; Spanish|Spaniard|Spaniards; 에스파냐|스페인인;
LKA; member; Q854; ; ; Sri Lankan|Sri Lankans|Ceylon; 스리랑카인;
SDN; member; Q1049; ; ; Sudanese; 수단인;
SUR; member; Q730; ; ; Surinamese|Surinamer|Surinam; ;
SWE; member; Q34; ; ; Swedish|Swede|Swedes; 스웨덴인;
CHE; member; Q39; ; ; Swiss; 스위스인;
SYR; member; Q858; Syria; 시리아; Syrian|Syrians; 시리아인;
TJK; member; Q863; ; ; Tajik|Tajiks|Tajikistani; 타지크;
TZA; member; Q924; Tanzania; 탄자니아; Tanzanian|Tanzanians; ;
THA; member; Q869; ; ; Thai|Thais|Siam; 타이|태국인;
TLS; member; Q574; ; ; East Timor|Timor Leste|Timorese|East Timorese; 동티모르인;
TGO; member; Q945; ; ; Togolese; ;
TON; member; Q678; ; ; Tongan|Tongans; ;
TTO; member; Q754; ; 트리니다드토바고; Trinidad|Trinidadian|Trinidadians|Tobagonian; ;
TUN; member; Q948; ; ; Tunisian|Tunisians; 튀니지인;
TUR; member; Q43; ; ; Turkey|Turkiye|Republic of Turkey|Turkish|Turk|Turks; 터키|튀르키예인|터키인;
TKM; member; Q874; ; ; Turkmen|Turkmens|Turkmenistani; 투르크멘;
TUV; member; Q672; ; ; Tuvaluan|Tuvaluans; ;
UGA; member; Q1036; ; ; Ugandan|Ugandans; ;
UKR; member; Q212; ; ; Ukrainian|Ukrainians; 우크라이나인;우
ARE; member; Q878; ; ; UAE|U.A.E.|Emirati|Emiratis|Emirates; 아랍에미리트연합|아랍 에미리트;
GBR; member; Q145; ; ; UK|U.K.|Britain|Great Britain|British|Briton|Britons; 영국인|英|英國|대영제국;영
USA; member; Q30; ; ; U.S.|US|USA|U.S.A.|United States of America|America|American|Americans; 美|美國|미합중국|미국인;미
URY; member; Q77; ; ; Uruguayan|Uruguayans; ;
UZB; member; Q265; ; ; Uzbek|Uzbeks|Uzbekistani; 우즈베크|우즈벡|우즈베키스탄인;
VUT; member; Q686; ; ; Ni-Vanuatu; ;
VEN; member; Q717; Venezuela; 베네수엘라; Venezuelan|Venezuelans; 베네수엘라인;
VNM; member; Q881; Vietnam; ; Viet Nam|Vietnamese; 월남|越南|베트남인;베
YEM; member; Q805; ; ; Yemeni|Yemenis; 예멘인;
ZMB; member; Q953; ; ; Zambian|Zambians; ;
ZWE; member; Q954; ; ; Zimbabwean|Zimbabweans; ;
VAT; observer; Q159583; Holy See; 교황청; Vatican|Vatican City|Vatican City State; 바티칸|바티칸시국|바티칸 시국|로마 교황청;
PSE; observer; Q219060; Palestine; ; State of Palestine|Palestinian|Palestinians; 팔레스타인인;팔
TWN; other; Q865; Taiwan; 대만; Republic of China|ROC|Chinese Taipei|Taiwanese; 타이완|臺灣|台灣|중화민국|대만인;
XKX; other; Q1246; Kosovo; 코소보; Republic of Kosovo|Kosovar|Kosovars; ;
ATA; other; Q51; Antarctica; 남극; ; 남극 대륙|남극대륙;
HKG; territory; Q8646; ; ; Hong Kong SAR|Hongkong|Hong Konger|Hong Kongers; 香港|홍콩특별행정구;
MAC; territory; Q14773; Macao; ; Macau|Macao SAR|Macanese; 澳門|마카오특별행정구;
ESH; territory; Q6250; ; ; Sahrawi|Saharawi|Sahrawi Arab Democratic Republic; ;
GRL; territory; Q223; ; ; Greenlander|Greenlanders|Kalaallit Nunaat; ;
PRI; territory; Q1183; ; ; Puerto Rican|Puerto Ricans; ;
GUM; territory; Q16635; ; ; Guamanian; ;
ASM; territory; Q16641; ; ; American Samoan; ;
MNP; territory; Q16644; ; 북마리아나제도; Northern Marianas|Saipan; 사이판;
VIR; territory; Q11703; U.S. Virgin Islands; 미국령 버진아일랜드; United States Virgin Islands|US Virgin Islands; 미국령 버진 제도;
VGB; territory; Q25305; British Virgin Islands; 영국령 버진아일랜드; BVI; 영국령 버진 제도;
FLK; territory; Q9648; Falkland Islands; 포클랜드 제도; Falklands|Malvinas|Islas Malvinas; 포클랜드|말비나스;
FRO; territory; Q4628; ; ; Faeroe Islands|Faroese; ;
ALA; territory; Q5689; ; ; Aland Islands; ;
ABW; territory; Q21203; ; ; Aruban; ;
CUW; territory; Q25279; ; ; Curacao; ;
BMU; territory; Q23635; ; ; Bermudian; ;
CYM; territory; Q5785; ; ; ; ;
GIB; territory; Q1410; ; ; Gibraltarian; ;
IMN; territory; Q9676; ; ; Manx; ;
JEY; territory; Q785; ; ; ; ;
GGY; territory; Q25230; ; ; ; ;
AIA; territory; Q25228; ; ; ; ;
MSR; territory; Q13353; ; ; ; ;
TCA; territory; Q18221; ; 터크스케이커스 제도; ; ;
NCL; territory; Q33788; ; ; New Caledonian|Kanaky; 뉴칼레도니아;
PYF; territory; Q30971; ; ; French Polynesian|Tahiti; 타히티;
WLF; territory; Q35555; ; ; Wallis and Futuna Islands; ;
COK; territory; Q26988; ; ; Cook Islander|Cook Islanders; 쿡제도;
NIU; territory; Q34020; ; ; Niuean; ;
TKL; territory; Q36823; ; ; Tokelauan; ;
PCN; territory; Q35672; ; ; Pitcairn Islands; ;
NFK; territory; Q31057; ; ; ; ;
CXR; territory; Q31063; ; ; ; ;
CCK; territory; Q36004; ; ; Cocos Islands|Keeling Islands; ;
IOT; territory; Q43448; ; ; Chagos Islands|Chagos Archipelago; 차고스 제도;
REU; territory; Q17070; ; ; Reunion; ;
MTQ; territory; Q17054; ; ; ; ;
GLP; territory; Q17012; ; ; ; ;
GUF; territory; Q3769; ; ; ; ;
MYT; territory; Q17063; ; ; ; ;
BLM; territory; Q25362; ; ; Saint Barthelemy|St Barts|St. Barts; ;
SPM; territory; Q34617; ; ; ; ;
MAF; territory; ; Saint Martin; 생마르탱; Saint-Martin; ;
SXM; territory; Q26273; Sint Maarten; 신트마르턴; ; ;
SHN; territory; Q192184; ; 세인트헬레나; Saint Helena|St Helena; 세인트헬레나 어센션 트리스탄다쿠냐;
SGS; territory; Q35086; ; ; ; ;
BVT; territory; Q23408; ; ; ; ;
HMD; territory; Q131198; ; ; ; ;
BES; territory; Q27561; Caribbean Netherlands; 카리브 네덜란드; Bonaire|BES islands; 보네르;
ATF; territory; ; ; 프랑스령 남방 및 남극 지역; ; ;
"""


def split_list(cell: str) -> list[str]:
    return [item.strip() for item in cell.split("|") if item.strip()]


def add(items: list[str], *new: str) -> None:
    """Append names not yet present (order kept, duplicates dropped)."""
    for name in new:
        if name and name not in items:
            items.append(name)


def usable(name: str) -> bool:
    """pycountry names worth keeping as aliases: not inverted ("Korea, Republic of") or annotated."""
    return bool(name) and ", " not in name and "(" not in name


def load_table() -> dict[str, dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    for line in TABLE.strip().splitlines():
        cells = [c.strip() for c in line.split(";")]
        if len(cells) != len(COLUMNS):
            raise SystemExit(f"bad table line ({len(cells)} fields): {line}")
        row = dict(zip(COLUMNS, cells, strict=True))
        if row["code"] in rows:
            raise SystemExit(f"duplicate table code {row['code']}")
        rows[row["code"]] = row
    return rows


def build() -> list[dict[str, str]]:
    ko = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ko"])
    table = load_table()
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for country in pycountry.countries:
        code = country.alpha_3
        hand = table.get(code, {})
        iso_name = country.name
        official = getattr(country, "official_name", "") or ""
        if official.startswith("the "):
            official = official[4:]
        common = getattr(country, "common_name", "") or ""
        iso_ko = ko.gettext(iso_name)
        if iso_ko == iso_name:  # no Korean translation
            iso_ko = ""

        name_en = hand.get("name_en") or common or iso_name
        name_ko = hand.get("name_ko") or iso_ko
        aliases_en = split_list(hand.get("aliases_en", ""))
        for candidate in (common, iso_name, official):
            if usable(candidate) and candidate != name_en:
                add(aliases_en, candidate)
        aliases_ko = split_list(hand.get("aliases_ko", ""))
        if usable(iso_ko) and iso_ko != name_ko:
            add(aliases_ko, iso_ko)
        # The spacing-free form Korean news prefers (중앙아프리카 공화국 -> 중앙아프리카공화국).
        if " " in name_ko and name_ko.replace(" ", "") not in aliases_ko:
            add(aliases_ko, name_ko.replace(" ", ""))
        out.append(
            {
                "code": code,
                "kind": hand.get("kind") or "territory",
                "wikidata": hand.get("wikidata", ""),
                "name_en": name_en,
                "name_ko": name_ko,
                "aliases_en": "|".join(a for a in aliases_en if a != name_en),
                "aliases_ko": "|".join(a for a in aliases_ko if a != name_ko),
                "abbr_ko": "|".join(split_list(hand.get("abbr_ko", ""))),
            }
        )
        seen.add(code)
    # Entities with no ISO 3166-1 entry (Kosovo uses the user-assigned XKX).
    for code, hand in table.items():
        if code in seen:
            continue
        out.append(
            {
                "code": code,
                "kind": hand["kind"],
                "wikidata": hand["wikidata"],
                "name_en": hand["name_en"],
                "name_ko": hand["name_ko"],
                "aliases_en": "|".join(split_list(hand["aliases_en"])),
                "aliases_ko": "|".join(split_list(hand["aliases_ko"])),
                "abbr_ko": "|".join(split_list(hand["abbr_ko"])),
            }
        )
    kinds = {"member": 0, "observer": 1, "other": 2, "territory": 3}
    out.sort(key=lambda r: (kinds[r["kind"]], r["code"]))
    return out


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else HERE / "states.tsv"
    rows = build()
    with target.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, COLUMNS, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE)
        writer.writeheader()
        writer.writerows(rows)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["kind"]] = counts.get(row["kind"], 0) + 1
    print(f"wrote {len(rows)} rows to {target}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
