/// Every ISO 639-1 code, for values written as a bare code.
let iso639Codes = """
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee \
el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is \
it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms \
mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk \
sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi \
yo za zh zu
"""

/// ISO 639-1 | ISO 639-2/3 codes | English | Spanish | Portuguese | other names people write.
/// Names are matched ignoring case, accents and punctuation.
let languageTable = """
es|spa|Spanish|Español|Espanhol|Castellano,Castelhano,Castilian,Espanol latino,Español latino,Latin American Spanish
en|eng|English|Inglés|Inglês|American English,British English
pt|por|Portuguese|Portugués|Português|Brazilian Portuguese,Portugués de Brasil,Português brasileiro,Português do Brasil,Brasileiro
fr|fra,fre|French|Francés|Francês|Français,Francais
de|deu,ger|German|Alemán|Alemão|Deutsch
it|ita|Italian|Italiano|Italiano|
ca|cat|Catalan|Catalán|Catalão|Català,Catala,Valenciano,Valencian
gl|glg|Galician|Gallego|Galego|
eu|eus,baq|Basque|Euskera|Basco|Vasco,Euskara
qu|que|Quechua|Quechua|Quíchua|Runasimi,Kichwa
gn|grn|Guarani|Guaraní|Guarani|Avañe'ẽ
ay|aym|Aymara|Aimara|Aimará|
nl|nld,dut|Dutch|Neerlandés|Neerlandês|Holandés,Holandês,Nederlands,Flemish,Flamenco
zh|zho,chi,cmn|Chinese|Chino|Chinês|Mandarin,Mandarín,Mandarim,中文
ja|jpn|Japanese|Japonés|Japonês|日本語
ko|kor|Korean|Coreano|Coreano|한국어
ru|rus|Russian|Ruso|Russo|Русский
ar|ara|Arabic|Árabe|Árabe|العربية
hi|hin|Hindi|Hindi|Híndi|
bn|ben|Bengali|Bengalí|Bengali|Bangla
ur|urd|Urdu|Urdu|Urdu|
pa|pan|Punjabi|Panyabí|Panjabi|
ta|tam|Tamil|Tamil|Tâmil|
te|tel|Telugu|Telugu|Telugu|
mr|mar|Marathi|Maratí|Marati|
ms|msa,may,zsm|Malay|Malayo|Malaio|Bahasa Melayu,Bahasa Malaysia
id|ind|Indonesian|Indonesio|Indonésio|Bahasa Indonesia
tl|tgl|Tagalog|Tagalo|Tagalo|Filipino,Fil
vi|vie|Vietnamese|Vietnamita|Vietnamita|Tiếng Việt
th|tha|Thai|Tailandés|Tailandês|
tr|tur|Turkish|Turco|Turco|Türkçe
fa|fas,per|Persian|Persa|Persa|Farsi
he|heb|Hebrew|Hebreo|Hebraico|
el|ell,gre|Greek|Griego|Grego|
pl|pol|Polish|Polaco|Polonês|Polaco,Polski
uk|ukr|Ukrainian|Ucraniano|Ucraniano|
ro|ron,rum|Romanian|Rumano|Romeno|
hu|hun|Hungarian|Húngaro|Húngaro|
cs|ces,cze|Czech|Checo|Tcheco|Checo
sk|slk,slo|Slovak|Eslovaco|Eslovaco|
sl|slv|Slovenian|Esloveno|Esloveno|Slovene
hr|hrv|Croatian|Croata|Croata|
sr|srp|Serbian|Serbio|Sérvio|
bg|bul|Bulgarian|Búlgaro|Búlgaro|
sv|swe|Swedish|Sueco|Sueco|Svenska
da|dan|Danish|Danés|Dinamarquês|
no|nor|Norwegian|Noruego|Norueguês|
nb|nob|Norwegian Bokmål|Noruego bokmal|Norueguês bokmål|Bokmal
nn|nno|Norwegian Nynorsk|Noruego nynorsk|Norueguês nynorsk|Nynorsk
fi|fin|Finnish|Finés|Finlandês|Finlandés
et|est|Estonian|Estonio|Estoniano|
lv|lav|Latvian|Letón|Letão|
lt|lit|Lithuanian|Lituano|Lituano|
ga|gle|Irish|Irlandés|Irlandês|Gaelic
cy|cym,wel|Welsh|Galés|Galês|
is|isl,ice|Icelandic|Islandés|Islandês|
sq|sqi,alb|Albanian|Albanés|Albanês|
mk|mkd,mac|Macedonian|Macedonio|Macedônio|
be|bel|Belarusian|Bielorruso|Bielorrusso|
ka|kat,geo|Georgian|Georgiano|Georgiano|
hy|hye,arm|Armenian|Armenio|Armênio|
az|aze|Azerbaijani|Azerí|Azeri|Azerbaiyano
kk|kaz|Kazakh|Kazajo|Cazaque|
uz|uzb|Uzbek|Uzbeko|Uzbeque|
sw|swa|Swahili|Suajili|Suaíli|Kiswahili
af|afr|Afrikaans|Afrikáans|Africâner|
zu|zul|Zulu|Zulú|Zulu|
am|amh|Amharic|Amhárico|Amárico|
ht|hat|Haitian Creole|Criollo haitiano|Crioulo haitiano|Haitian,Kreyòl
la|lat|Latin|Latín|Latim|
eo|epo|Esperanto|Esperanto|Esperanto|
"""
