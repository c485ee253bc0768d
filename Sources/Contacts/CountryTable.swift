/// ISO 3166-1: alpha-2 | alpha-3 | English | Spanish | Portuguese | other names people write.
/// Names are matched ignoring case, accents, punctuation and a leading article.
let countryTable = """
AD|AND|Andorra|Andorra|Andorra|
AE|ARE|United Arab Emirates|Emiratos Árabes Unidos|Emirados Árabes Unidos|UAE,EAU,Emirates,Emiratos Arabes
AF|AFG|Afghanistan|Afganistán|Afeganistão|
AG|ATG|Antigua and Barbuda|Antigua y Barbuda|Antígua e Barbuda|Antigua
AI|AIA|Anguilla|Anguila|Anguila|
AL|ALB|Albania|Albania|Albânia|
AM|ARM|Armenia|Armenia|Armênia|Arménia
AO|AGO|Angola|Angola|Angola|
AQ|ATA|Antarctica|Antártida|Antártida|
AR|ARG|Argentina|Argentina|Argentina|República Argentina
AS|ASM|American Samoa|Samoa Americana|Samoa Americana|
AT|AUT|Austria|Austria|Áustria|
AU|AUS|Australia|Australia|Austrália|
AW|ABW|Aruba|Aruba|Aruba|
AX|ALA|Åland Islands|Islas Åland|Ilhas Åland|Aland
AZ|AZE|Azerbaijan|Azerbaiyán|Azerbaijão|
BA|BIH|Bosnia and Herzegovina|Bosnia y Herzegovina|Bósnia e Herzegovina|Bosnia
BB|BRB|Barbados|Barbados|Barbados|
BD|BGD|Bangladesh|Bangladés|Bangladesh|Bangladesh
BE|BEL|Belgium|Bélgica|Bélgica|
BF|BFA|Burkina Faso|Burkina Faso|Burkina Faso|
BG|BGR|Bulgaria|Bulgaria|Bulgária|
BH|BHR|Bahrain|Baréin|Bahrein|Bahrein
BI|BDI|Burundi|Burundi|Burundi|
BJ|BEN|Benin|Benín|Benin|
BL|BLM|Saint Barthélemy|San Bartolomé|São Bartolomeu|
BM|BMU|Bermuda|Bermudas|Bermudas|
BN|BRN|Brunei|Brunéi|Brunei|Brunei Darussalam
BO|BOL|Bolivia|Bolivia|Bolívia|Estado Plurinacional de Bolivia
BQ|BES|Caribbean Netherlands|Caribe Neerlandés|Países Baixos Caribenhos|Bonaire,Bonaire Sint Eustatius and Saba
BR|BRA|Brazil|Brasil|Brasil|
BS|BHS|Bahamas|Bahamas|Bahamas|
BT|BTN|Bhutan|Bután|Butão|
BV|BVT|Bouvet Island|Isla Bouvet|Ilha Bouvet|
BW|BWA|Botswana|Botsuana|Botsuana|
BY|BLR|Belarus|Bielorrusia|Bielorrússia|
BZ|BLZ|Belize|Belice|Belize|
CA|CAN|Canada|Canadá|Canadá|
CC|CCK|Cocos (Keeling) Islands|Islas Cocos|Ilhas Cocos|
CD|COD|Democratic Republic of the Congo|República Democrática del Congo|República Democrática do Congo|DR Congo,RD Congo,Congo-Kinshasa
CF|CAF|Central African Republic|República Centroafricana|República Centro-Africana|
CG|COG|Republic of the Congo|República del Congo|República do Congo|Congo,Congo-Brazzaville
CH|CHE|Switzerland|Suiza|Suíça|
CI|CIV|Côte d'Ivoire|Costa de Marfil|Costa do Marfim|Ivory Coast
CK|COK|Cook Islands|Islas Cook|Ilhas Cook|
CL|CHL|Chile|Chile|Chile|
CM|CMR|Cameroon|Camerún|Camarões|
CN|CHN|China|China|China|
CO|COL|Colombia|Colombia|Colômbia|
CR|CRI|Costa Rica|Costa Rica|Costa Rica|
CU|CUB|Cuba|Cuba|Cuba|
CV|CPV|Cape Verde|Cabo Verde|Cabo Verde|
CW|CUW|Curaçao|Curazao|Curaçau|
CX|CXR|Christmas Island|Isla de Navidad|Ilha do Natal|
CY|CYP|Cyprus|Chipre|Chipre|
CZ|CZE|Czechia|Chequia|Tchéquia|Czech Republic,República Checa,República Tcheca
DE|DEU|Germany|Alemania|Alemanha|Deutschland
DJ|DJI|Djibouti|Yibuti|Djibuti|
DK|DNK|Denmark|Dinamarca|Dinamarca|
DM|DMA|Dominica|Dominica|Dominica|
DO|DOM|Dominican Republic|República Dominicana|República Dominicana|Rep. Dominicana,Rep Dominicana,RD
DZ|DZA|Algeria|Argelia|Argélia|
EC|ECU|Ecuador|Ecuador|Equador|
EE|EST|Estonia|Estonia|Estônia|Estónia
EG|EGY|Egypt|Egipto|Egito|
EH|ESH|Western Sahara|Sahara Occidental|Saara Ocidental|
ER|ERI|Eritrea|Eritrea|Eritreia|
ES|ESP|Spain|España|Espanha|Reino de España
ET|ETH|Ethiopia|Etiopía|Etiópia|
FI|FIN|Finland|Finlandia|Finlândia|
FJ|FJI|Fiji|Fiyi|Fiji|
FK|FLK|Falkland Islands|Islas Malvinas|Ilhas Malvinas|Malvinas,Falklands
FM|FSM|Micronesia|Micronesia|Micronésia|
FO|FRO|Faroe Islands|Islas Feroe|Ilhas Feroe|
FR|FRA|France|Francia|França|
GA|GAB|Gabon|Gabón|Gabão|
GB|GBR|United Kingdom|Reino Unido|Reino Unido|UK,U.K.,Great Britain,Gran Bretaña,Grã-Bretanha,England,Inglaterra,Scotland,Escocia,Wales,Gales,Northern Ireland
GD|GRD|Grenada|Granada|Granada|
GE|GEO|Georgia|Georgia|Geórgia|
GF|GUF|French Guiana|Guayana Francesa|Guiana Francesa|
GG|GGY|Guernsey|Guernsey|Guernsey|
GH|GHA|Ghana|Ghana|Gana|
GI|GIB|Gibraltar|Gibraltar|Gibraltar|
GL|GRL|Greenland|Groenlandia|Groenlândia|
GM|GMB|Gambia|Gambia|Gâmbia|
GN|GIN|Guinea|Guinea|Guiné|
GP|GLP|Guadeloupe|Guadalupe|Guadalupe|
GQ|GNQ|Equatorial Guinea|Guinea Ecuatorial|Guiné Equatorial|
GR|GRC|Greece|Grecia|Grécia|
GS|SGS|South Georgia and the South Sandwich Islands|Islas Georgias del Sur y Sandwich del Sur|Ilhas Geórgia do Sul e Sandwich do Sul|
GT|GTM|Guatemala|Guatemala|Guatemala|
GU|GUM|Guam|Guam|Guam|
GW|GNB|Guinea-Bissau|Guinea-Bisáu|Guiné-Bissau|
GY|GUY|Guyana|Guyana|Guiana|
HK|HKG|Hong Kong|Hong Kong|Hong Kong|
HM|HMD|Heard Island and McDonald Islands|Islas Heard y McDonald|Ilhas Heard e McDonald|
HN|HND|Honduras|Honduras|Honduras|
HR|HRV|Croatia|Croacia|Croácia|
HT|HTI|Haiti|Haití|Haiti|
HU|HUN|Hungary|Hungría|Hungria|
ID|IDN|Indonesia|Indonesia|Indonésia|
IE|IRL|Ireland|Irlanda|Irlanda|
IL|ISR|Israel|Israel|Israel|
IM|IMN|Isle of Man|Isla de Man|Ilha de Man|
IN|IND|India|India|Índia|
IO|IOT|British Indian Ocean Territory|Territorio Británico del Océano Índico|Território Britânico do Oceano Índico|
IQ|IRQ|Iraq|Irak|Iraque|
IR|IRN|Iran|Irán|Irã|Irão
IS|ISL|Iceland|Islandia|Islândia|
IT|ITA|Italy|Italia|Itália|
JE|JEY|Jersey|Jersey|Jersey|
JM|JAM|Jamaica|Jamaica|Jamaica|
JO|JOR|Jordan|Jordania|Jordânia|
JP|JPN|Japan|Japón|Japão|
KE|KEN|Kenya|Kenia|Quênia|Quénia
KG|KGZ|Kyrgyzstan|Kirguistán|Quirguistão|
KH|KHM|Cambodia|Camboya|Camboja|
KI|KIR|Kiribati|Kiribati|Kiribati|
KM|COM|Comoros|Comoras|Comores|
KN|KNA|Saint Kitts and Nevis|San Cristóbal y Nieves|São Cristóvão e Névis|
KP|PRK|North Korea|Corea del Norte|Coreia do Norte|
KR|KOR|South Korea|Corea del Sur|Coreia do Sul|Korea,Corea,Coreia
KW|KWT|Kuwait|Kuwait|Kuwait|
KY|CYM|Cayman Islands|Islas Caimán|Ilhas Cayman|
KZ|KAZ|Kazakhstan|Kazajistán|Cazaquistão|
LA|LAO|Laos|Laos|Laos|
LB|LBN|Lebanon|Líbano|Líbano|
LC|LCA|Saint Lucia|Santa Lucía|Santa Lúcia|
LI|LIE|Liechtenstein|Liechtenstein|Liechtenstein|
LK|LKA|Sri Lanka|Sri Lanka|Sri Lanka|
LR|LBR|Liberia|Liberia|Libéria|
LS|LSO|Lesotho|Lesoto|Lesoto|
LT|LTU|Lithuania|Lituania|Lituânia|
LU|LUX|Luxembourg|Luxemburgo|Luxemburgo|
LV|LVA|Latvia|Letonia|Letônia|Letónia
LY|LBY|Libya|Libia|Líbia|
MA|MAR|Morocco|Marruecos|Marrocos|
MC|MCO|Monaco|Mónaco|Mônaco|Mónaco
MD|MDA|Moldova|Moldavia|Moldávia|
ME|MNE|Montenegro|Montenegro|Montenegro|
MF|MAF|Saint Martin|San Martín|São Martinho|
MG|MDG|Madagascar|Madagascar|Madagáscar|Madagascar
MH|MHL|Marshall Islands|Islas Marshall|Ilhas Marshall|
MK|MKD|North Macedonia|Macedonia del Norte|Macedônia do Norte|Macedonia,Macedónia do Norte
ML|MLI|Mali|Malí|Mali|
MM|MMR|Myanmar|Myanmar|Mianmar|Burma,Birmania,Birmânia
MN|MNG|Mongolia|Mongolia|Mongólia|
MO|MAC|Macao|Macao|Macau|Macau
MP|MNP|Northern Mariana Islands|Islas Marianas del Norte|Ilhas Marianas do Norte|
MQ|MTQ|Martinique|Martinica|Martinica|
MR|MRT|Mauritania|Mauritania|Mauritânia|
MS|MSR|Montserrat|Montserrat|Montserrat|
MT|MLT|Malta|Malta|Malta|
MU|MUS|Mauritius|Mauricio|Maurícia|Maurício
MV|MDV|Maldives|Maldivas|Maldivas|
MW|MWI|Malawi|Malaui|Malawi|
MX|MEX|Mexico|México|México|Méjico,Estados Unidos Mexicanos
MY|MYS|Malaysia|Malasia|Malásia|
MZ|MOZ|Mozambique|Mozambique|Moçambique|
NA|NAM|Namibia|Namibia|Namíbia|
NC|NCL|New Caledonia|Nueva Caledonia|Nova Caledônia|
NE|NER|Niger|Níger|Níger|
NF|NFK|Norfolk Island|Isla Norfolk|Ilha Norfolk|
NG|NGA|Nigeria|Nigeria|Nigéria|
NI|NIC|Nicaragua|Nicaragua|Nicarágua|
NL|NLD|Netherlands|Países Bajos|Países Baixos|Holland,Holanda,The Netherlands
NO|NOR|Norway|Noruega|Noruega|
NP|NPL|Nepal|Nepal|Nepal|
NR|NRU|Nauru|Nauru|Nauru|
NU|NIU|Niue|Niue|Niue|
NZ|NZL|New Zealand|Nueva Zelanda|Nova Zelândia|
OM|OMN|Oman|Omán|Omã|
PA|PAN|Panama|Panamá|Panamá|
PE|PER|Peru|Perú|Peru|
PF|PYF|French Polynesia|Polinesia Francesa|Polinésia Francesa|
PG|PNG|Papua New Guinea|Papúa Nueva Guinea|Papua-Nova Guiné|
PH|PHL|Philippines|Filipinas|Filipinas|
PK|PAK|Pakistan|Pakistán|Paquistão|
PL|POL|Poland|Polonia|Polônia|Polónia
PM|SPM|Saint Pierre and Miquelon|San Pedro y Miquelón|São Pedro e Miquelão|
PN|PCN|Pitcairn Islands|Islas Pitcairn|Ilhas Pitcairn|
PR|PRI|Puerto Rico|Puerto Rico|Porto Rico|
PS|PSE|Palestine|Palestina|Palestina|
PT|PRT|Portugal|Portugal|Portugal|
PW|PLW|Palau|Palaos|Palau|
PY|PRY|Paraguay|Paraguay|Paraguai|
QA|QAT|Qatar|Catar|Catar|Qatar
RE|REU|Réunion|Reunión|Reunião|
RO|ROU|Romania|Rumania|Romênia|Roménia,Rumanía
RS|SRB|Serbia|Serbia|Sérvia|
RU|RUS|Russia|Rusia|Rússia|Russian Federation,Federación de Rusia
RW|RWA|Rwanda|Ruanda|Ruanda|
SA|SAU|Saudi Arabia|Arabia Saudita|Arábia Saudita|Arabia Saudí
SB|SLB|Solomon Islands|Islas Salomón|Ilhas Salomão|
SC|SYC|Seychelles|Seychelles|Seicheles|
SD|SDN|Sudan|Sudán|Sudão|
SE|SWE|Sweden|Suecia|Suécia|
SG|SGP|Singapore|Singapur|Singapura|
SH|SHN|Saint Helena|Santa Elena|Santa Helena|
SI|SVN|Slovenia|Eslovenia|Eslovênia|Eslovénia
SJ|SJM|Svalbard and Jan Mayen|Svalbard y Jan Mayen|Svalbard e Jan Mayen|
SK|SVK|Slovakia|Eslovaquia|Eslováquia|
SL|SLE|Sierra Leone|Sierra Leona|Serra Leoa|
SM|SMR|San Marino|San Marino|San Marino|
SN|SEN|Senegal|Senegal|Senegal|
SO|SOM|Somalia|Somalia|Somália|
SR|SUR|Suriname|Surinam|Suriname|
SS|SSD|South Sudan|Sudán del Sur|Sudão do Sul|
ST|STP|São Tomé and Príncipe|Santo Tomé y Príncipe|São Tomé e Príncipe|
SV|SLV|El Salvador|El Salvador|El Salvador|Salvador
SX|SXM|Sint Maarten|Sint Maarten|São Martinho (Países Baixos)|
SY|SYR|Syria|Siria|Síria|
SZ|SWZ|Eswatini|Esuatini|Essuatíni|Swaziland,Suazilandia
TC|TCA|Turks and Caicos Islands|Islas Turcas y Caicos|Ilhas Turcas e Caicos|
TD|TCD|Chad|Chad|Chade|
TF|ATF|French Southern Territories|Territorios Australes Franceses|Terras Austrais Francesas|
TG|TGO|Togo|Togo|Togo|
TH|THA|Thailand|Tailandia|Tailândia|
TJ|TJK|Tajikistan|Tayikistán|Tajiquistão|
TK|TKL|Tokelau|Tokelau|Tokelau|
TL|TLS|Timor-Leste|Timor Oriental|Timor-Leste|East Timor
TM|TKM|Turkmenistan|Turkmenistán|Turcomenistão|
TN|TUN|Tunisia|Túnez|Tunísia|
TO|TON|Tonga|Tonga|Tonga|
TR|TUR|Türkiye|Turquía|Turquia|Turkey
TT|TTO|Trinidad and Tobago|Trinidad y Tobago|Trinidad e Tobago|Trinidad
TV|TUV|Tuvalu|Tuvalu|Tuvalu|
TW|TWN|Taiwan|Taiwán|Taiwan|
TZ|TZA|Tanzania|Tanzania|Tanzânia|
UA|UKR|Ukraine|Ucrania|Ucrânia|
UG|UGA|Uganda|Uganda|Uganda|
UM|UMI|United States Minor Outlying Islands|Islas Ultramarinas Menores de Estados Unidos|Ilhas Menores Distantes dos Estados Unidos|
US|USA|United States|Estados Unidos|Estados Unidos|USA,U.S.A.,U.S.,United States of America,America,EEUU,EE.UU.,EE UU,EUA,E.U.A.,Estados Unidos de América,Estados Unidos da América
UY|URY|Uruguay|Uruguay|Uruguai|
UZ|UZB|Uzbekistan|Uzbekistán|Uzbequistão|
VA|VAT|Vatican City|Ciudad del Vaticano|Vaticano|Vatican,Holy See,Santa Sede
VC|VCT|Saint Vincent and the Grenadines|San Vicente y las Granadinas|São Vicente e Granadinas|
VE|VEN|Venezuela|Venezuela|Venezuela|República Bolivariana de Venezuela
VG|VGB|British Virgin Islands|Islas Vírgenes Británicas|Ilhas Virgens Britânicas|
VI|VIR|U.S. Virgin Islands|Islas Vírgenes de los Estados Unidos|Ilhas Virgens Americanas|US Virgin Islands
VN|VNM|Vietnam|Vietnam|Vietnã|Viet Nam,Vietname
VU|VUT|Vanuatu|Vanuatu|Vanuatu|
WF|WLF|Wallis and Futuna|Wallis y Futuna|Wallis e Futuna|
WS|WSM|Samoa|Samoa|Samoa|
XK|XKX|Kosovo|Kosovo|Kosovo|
YE|YEM|Yemen|Yemen|Iêmen|Iémen
YT|MYT|Mayotte|Mayotte|Mayotte|
ZA|ZAF|South Africa|Sudáfrica|África do Sul|
ZM|ZMB|Zambia|Zambia|Zâmbia|
ZW|ZWE|Zimbabwe|Zimbabue|Zimbábue|
"""
