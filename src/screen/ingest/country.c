/*
 * Country names as the lists write them, mapped to ISO 3166-1 alpha-2.
 *
 * The lists do not agree on names: OFAC writes "Korea, North", "Burma",
 * "Cote d Ivoire" and "Region: Gaza"; the UN writes "Democratic People's
 * Republic of Korea", "Iran (Islamic Republic of)" and "Türkiye"; BIS puts
 * "PRC" in a column of codes.  The table below holds every English short
 * name of data/countries.csv plus every other spelling found in the real
 * list files of shared/data/lists (the coverage test in
 * tests/unit/screen/ingest proves it) and a few common ones.
 *
 * Lookup folds the input to a key: ASCII lower case, Latin-1 letters
 * without their accents ("Türkiye" -> "turkiye"), typographic apostrophes
 * to "'", runs of white space to one space, no trailing full stop.  The
 * table is sorted by key (byte order) for bsearch; a test keeps it so.
 *
 * Codes are accepted as codes only in upper case: the UN writes "na" for
 * "not available", which must not become Namibia.
 */
#include "ingest.h"

#include <stdlib.h>
#include <string.h>

/* Every ISO 3166-1 alpha-2 code in data/countries.csv, sorted (XK, Kosovo,
 * is the user-assigned code the EU, US and UN lists use). */
static const char codes[][3] = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "XK", "YE", "YT", "ZA", "ZM", "ZW",
};

struct country_name {
    const char *key;
    const char *code;
};

static const struct country_name names[] = {
    {"afghanistan", "AF"},
    {"aland islands", "AX"},
    {"albania", "AL"},
    {"algeria", "DZ"},
    {"american samoa", "AS"},
    {"andorra", "AD"},
    {"angola", "AO"},
    {"anguilla", "AI"},
    {"antarctica", "AQ"},
    {"antigua & barbuda", "AG"},
    {"antigua and barbuda", "AG"},
    {"argentina", "AR"},
    {"armenia", "AM"},
    {"aruba", "AW"},
    {"australia", "AU"},
    {"austria", "AT"},
    {"azerbaijan", "AZ"},
    {"bahamas", "BS"},
    {"bahamas (the)", "BS"},
    {"bahamas, the", "BS"},
    {"bahrain", "BH"},
    {"bangladesh", "BD"},
    {"barbados", "BB"},
    {"belarus", "BY"},
    {"belgium", "BE"},
    {"belize", "BZ"},
    {"benin", "BJ"},
    {"bermuda", "BM"},
    {"bhutan", "BT"},
    {"bolivia", "BO"},
    {"bolivia (plurinational state of)", "BO"},
    {"bolivia, plurinational state of", "BO"},
    {"bonaire, sint eustatius and saba", "BQ"},
    {"bosnia & herzegovina", "BA"},
    {"bosnia and herzegovina", "BA"},
    {"bosnia-herzegovina", "BA"},
    {"botswana", "BW"},
    {"bouvet island", "BV"},
    {"brazil", "BR"},
    {"britain", "GB"},
    {"british indian ocean territory", "IO"},
    {"british virgin islands", "VG"},
    {"brunei", "BN"},
    {"brunei darussalam", "BN"},
    {"bulgaria", "BG"},
    {"burkina", "BF"},
    {"burkina faso", "BF"},
    {"burma", "MM"},
    {"burma (myanmar)", "MM"},
    {"burundi", "BI"},
    {"cabo verde", "CV"},
    {"cambodia", "KH"},
    {"cameroon", "CM"},
    {"canada", "CA"},
    {"cape verde", "CV"},
    {"cayman islands", "KY"},
    {"central african republic", "CF"},
    {"chad", "TD"},
    {"chile", "CL"},
    {"china", "CN"},
    {"china, hong kong special administrative region", "HK"},
    {"china, macao special administrative region", "MO"},
    {"christmas island", "CX"},
    {"cocos (keeling) islands", "CC"},
    {"cocos islands", "CC"},
    {"colombia", "CO"},
    {"comoros", "KM"},
    {"congo", "CG"},
    {"congo, democratic republic of the", "CD"},
    {"congo, republic of the", "CG"},
    {"congo, the democratic republic of the", "CD"},
    {"cook islands", "CK"},
    {"costa rica", "CR"},
    {"cote d ivoire", "CI"},
    {"cote d'ivoire", "CI"},
    {"croatia", "HR"},
    {"cuba", "CU"},
    {"curacao", "CW"},
    {"cyprus", "CY"},
    {"czech republic", "CZ"},
    {"czechia", "CZ"},
    {"democratic people's republic of korea", "KP"},
    {"democratic republic of the congo", "CD"},
    {"denmark", "DK"},
    {"djibouti", "DJ"},
    {"dominica", "DM"},
    {"dominican republic", "DO"},
    {"east timor", "TL"},
    {"ecuador", "EC"},
    {"egypt", "EG"},
    {"el salvador", "SV"},
    {"england", "GB"},
    {"equatorial guinea", "GQ"},
    {"eritrea", "ER"},
    {"estonia", "EE"},
    {"eswatini", "SZ"},
    {"ethiopia", "ET"},
    {"falkland islands", "FK"},
    {"falkland islands (malvinas)", "FK"},
    {"faroe islands", "FO"},
    {"fiji", "FJ"},
    {"finland", "FI"},
    {"france", "FR"},
    {"french guiana", "GF"},
    {"french polynesia", "PF"},
    {"french southern territories", "TF"},
    {"gabon", "GA"},
    {"gambia", "GM"},
    {"gambia (the)", "GM"},
    {"gambia, the", "GM"},
    {"gaza", "PS"},
    {"gaza strip", "PS"},
    {"georgia", "GE"},
    {"germany", "DE"},
    {"ghana", "GH"},
    {"gibraltar", "GI"},
    {"great britain", "GB"},
    {"greece", "GR"},
    {"greenland", "GL"},
    {"grenada", "GD"},
    {"guadeloupe", "GP"},
    {"guam", "GU"},
    {"guatemala", "GT"},
    {"guernsey", "GG"},
    {"guinea", "GN"},
    {"guinea-bissau", "GW"},
    {"guyana", "GY"},
    {"haiti", "HT"},
    {"heard and mcdonald islands", "HM"},
    {"heard island and mcdonald islands", "HM"},
    {"holland", "NL"},
    {"holy see", "VA"},
    {"holy see (vatican city state)", "VA"},
    {"honduras", "HN"},
    {"hong kong", "HK"},
    {"hong kong sar", "HK"},
    {"hong kong, china", "HK"},
    {"hungary", "HU"},
    {"iceland", "IS"},
    {"india", "IN"},
    {"indonesia", "ID"},
    {"iran", "IR"},
    {"iran (islamic republic of)", "IR"},
    {"iran, islamic republic of", "IR"},
    {"iraq", "IQ"},
    {"ireland", "IE"},
    {"islamic republic of iran", "IR"},
    {"isle of man", "IM"},
    {"israel", "IL"},
    {"italy", "IT"},
    {"ivory coast", "CI"},
    {"jamaica", "JM"},
    {"japan", "JP"},
    {"jersey", "JE"},
    {"jordan", "JO"},
    {"kazakhstan", "KZ"},
    {"kenya", "KE"},
    {"kiribati", "KI"},
    {"korea, democratic people's republic of", "KP"},
    {"korea, north", "KP"},
    {"korea, republic of", "KR"},
    {"korea, south", "KR"},
    {"kosovo", "XK"},
    {"kuwait", "KW"},
    {"kyrgyz republic", "KG"},
    {"kyrgyzstan", "KG"},
    {"lao people's democratic republic", "LA"},
    {"laos", "LA"},
    {"latvia", "LV"},
    {"lebanon", "LB"},
    {"lesotho", "LS"},
    {"liberia", "LR"},
    {"libya", "LY"},
    {"liechtenstein", "LI"},
    {"lithuania", "LT"},
    {"luxembourg", "LU"},
    {"macao", "MO"},
    {"macau", "MO"},
    {"macedonia", "MK"},
    {"macedonia, the former yugoslav republic of", "MK"},
    {"madagascar", "MG"},
    {"malawi", "MW"},
    {"malaysia", "MY"},
    {"maldives", "MV"},
    {"mali", "ML"},
    {"malta", "MT"},
    {"man, isle of", "IM"},
    {"marshall islands", "MH"},
    {"martinique", "MQ"},
    {"mauritania", "MR"},
    {"mauritius", "MU"},
    {"mayotte", "YT"},
    {"mexico", "MX"},
    {"micronesia", "FM"},
    {"micronesia (federated states of)", "FM"},
    {"micronesia, federated states of", "FM"},
    {"moldova", "MD"},
    {"moldova, republic of", "MD"},
    {"monaco", "MC"},
    {"mongolia", "MN"},
    {"montenegro", "ME"},
    {"montserrat", "MS"},
    {"morocco", "MA"},
    {"mozambique", "MZ"},
    {"myanmar", "MM"},
    {"myanmar (burma)", "MM"},
    {"namibia", "NA"},
    {"nauru", "NR"},
    {"nepal", "NP"},
    {"netherlands", "NL"},
    {"netherlands, the", "NL"},
    {"new caledonia", "NC"},
    {"new zealand", "NZ"},
    {"nicaragua", "NI"},
    {"niger", "NE"},
    {"nigeria", "NG"},
    {"niue", "NU"},
    {"norfolk island", "NF"},
    {"north korea", "KP"},
    {"north macedonia", "MK"},
    {"north macedonia, the republic of", "MK"},
    {"northern mariana islands", "MP"},
    {"norway", "NO"},
    {"occupied palestinian territory", "PS"},
    {"oman", "OM"},
    {"pakistan", "PK"},
    {"palau", "PW"},
    {"palestine", "PS"},
    {"palestine, state of", "PS"},
    {"palestinian", "PS"},
    {"palestinian territories", "PS"},
    {"panama", "PA"},
    {"papua new guinea", "PG"},
    {"paraguay", "PY"},
    {"people's republic of china", "CN"},
    {"peru", "PE"},
    {"philippines", "PH"},
    {"pitcairn", "PN"},
    {"poland", "PL"},
    {"portugal", "PT"},
    {"prc", "CN"},
    {"puerto rico", "PR"},
    {"qatar", "QA"},
    {"region: crimea", "UA"},
    {"region: gaza", "PS"},
    {"region: north gaza", "PS"},
    {"region: northern gaza", "PS"},
    {"region: northern mali", "ML"},
    {"region: russia", "RU"},
    {"region: west bank", "PS"},
    {"republic of china", "TW"},
    {"republic of korea", "KR"},
    {"republic of moldova", "MD"},
    {"republic of north macedonia", "MK"},
    {"republic of the congo", "CG"},
    {"reunion", "RE"},
    {"romania", "RO"},
    {"russia", "RU"},
    {"russian federation", "RU"},
    {"rwanda", "RW"},
    {"saint barthelemy", "BL"},
    {"saint helena, ascension and tristan da cunha", "SH"},
    {"saint kitts & nevis", "KN"},
    {"saint kitts and nevis", "KN"},
    {"saint lucia", "LC"},
    {"saint martin (french part)", "MF"},
    {"saint pierre and miquelon", "PM"},
    {"saint vincent & the grenadines", "VC"},
    {"saint vincent and the grenadines", "VC"},
    {"samoa", "WS"},
    {"san marino", "SM"},
    {"sao tome & principe", "ST"},
    {"sao tome and principe", "ST"},
    {"saudi arabia", "SA"},
    {"senegal", "SN"},
    {"serbia", "RS"},
    {"seychelles", "SC"},
    {"sierra leone", "SL"},
    {"singapore", "SG"},
    {"sint maarten (dutch part)", "SX"},
    {"slovak republic", "SK"},
    {"slovakia", "SK"},
    {"slovenia", "SI"},
    {"solomon islands", "SB"},
    {"somalia", "SO"},
    {"south africa", "ZA"},
    {"south georgia and the south sandwich islands", "GS"},
    {"south korea", "KR"},
    {"south sudan", "SS"},
    {"spain", "ES"},
    {"sri lanka", "LK"},
    {"st. kitts & nevis", "KN"},
    {"st. kitts and nevis", "KN"},
    {"st. lucia", "LC"},
    {"st. vincent & the grenadines", "VC"},
    {"st. vincent and the grenadines", "VC"},
    {"state of palestine", "PS"},
    {"sudan", "SD"},
    {"suriname", "SR"},
    {"svalbard and jan mayen", "SJ"},
    {"swaziland", "SZ"},
    {"sweden", "SE"},
    {"switzerland", "CH"},
    {"syria", "SY"},
    {"syrian arab republic", "SY"},
    {"taiwan", "TW"},
    {"taiwan, province of china", "TW"},
    {"tajikistan", "TJ"},
    {"tanzania", "TZ"},
    {"tanzania, united republic of", "TZ"},
    {"thailand", "TH"},
    {"the bahamas", "BS"},
    {"the gambia", "GM"},
    {"the netherlands", "NL"},
    {"timor leste", "TL"},
    {"timor-leste", "TL"},
    {"togo", "TG"},
    {"tokelau", "TK"},
    {"tonga", "TO"},
    {"trinidad & tobago", "TT"},
    {"trinidad and tobago", "TT"},
    {"tunisia", "TN"},
    {"turkey", "TR"},
    {"turkiye", "TR"},
    {"turkmenistan", "TM"},
    {"turks and caicos islands", "TC"},
    {"tuvalu", "TV"},
    {"u.a.e", "AE"},
    {"u.s", "US"},
    {"u.s. virgin islands", "VI"},
    {"u.s.a", "US"},
    {"uae", "AE"},
    {"uganda", "UG"},
    {"uk", "GB"},
    {"ukraine", "UA"},
    {"united arab emirates", "AE"},
    {"united kingdom", "GB"},
    {"united kingdom of great britain and northern ireland", "GB"},
    {"united republic of tanzania", "TZ"},
    {"united states", "US"},
    {"united states minor outlying islands", "UM"},
    {"united states of america", "US"},
    {"uruguay", "UY"},
    {"us virgin islands", "VI"},
    {"usa", "US"},
    {"uzbekistan", "UZ"},
    {"vanuatu", "VU"},
    {"vatican", "VA"},
    {"vatican city", "VA"},
    {"venezuela", "VE"},
    {"venezuela (bolivarian republic of)", "VE"},
    {"venezuela, bolivarian republic of", "VE"},
    {"viet nam", "VN"},
    {"vietnam", "VN"},
    {"virgin islands, british", "VG"},
    {"virgin islands, u.s", "VI"},
    {"wallis and futuna", "WF"},
    {"west bank", "PS"},
    {"western sahara", "EH"},
    {"yemen", "YE"},
    {"zambia", "ZM"},
    {"zimbabwe", "ZW"},
};

/* Values that lists put in country fields and that map to no code on
 * purpose: saying nothing is better than saying something wrong. */
static const char *const unmapped[] = {
    "undetermined",         /* OFAC add.csv: the country is not known */
    "none identified",      /* OFAC / CSL vessel flag: no flag known */
    "na",                   /* UN NATIONALITY: "not available" */
    "former soviet union",  /* UN NATIONALITY: no longer a country; which successor is unknown */
    "netherlands antilles", /* OFAC add.csv: dissolved in 2010 (ISO 3166-3 ANHH); split into
                               CW, SX and BQ, and the address does not say which */
    "possibly palestinian", /* OFAC remarks: a guess in the source; not asserted as a fact */
    "region: commonwealth of independent states", /* OFAC add.csv: a group of states */
    "region: jammu and kashmir",                  /* OFAC add.csv: disputed between IN and PK */
    "region: kafia kingi",                        /* OFAC add.csv: disputed between SD and SS */
    "nm", /* BIS DPL line 593: the state New Mexico shifted into the Country column */
};

#define KEY_MAX 96

/* Latin-1 supplement letters (U+00C0..U+00FF) without their accents. */
static const char *const latin1_fold[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "x", "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "/", "o", "u", "u", "u", "u", "y", "th", "y",
};

/* Fold name to its lookup key; false if it does not fit (no country name
 * is that long). */
static bool fold_key(const char *s, size_t n, char *out)
{
    size_t k = 0;
    bool space = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        char one[2] = {0, 0};
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            space = k > 0;
            continue;
        }
        if (c >= 'A' && c <= 'Z') {
            one[0] = (char)(c - 'A' + 'a');
        } else if (c == 0xC3 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
                   (unsigned char)s[i + 1] <= 0xBF) {
            rep = latin1_fold[(unsigned char)s[i + 1] - 0x80];
            i++;
        } else if (c == 0xE2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
                   ((unsigned char)s[i + 2] == 0x98 || (unsigned char)s[i + 2] == 0x99)) {
            one[0] = '\'';
            i += 2;
        } else {
            one[0] = (char)c;
        }
        if (!rep)
            rep = one;
        size_t m = strlen(rep);
        if (k + (space ? 1 : 0) + m >= KEY_MAX)
            return false;
        if (space)
            out[k++] = ' ';
        space = false;
        memcpy(out + k, rep, m);
        k += m;
    }
    if (k && out[k - 1] == '.')
        k--;
    while (k && out[k - 1] == ' ')
        k--;
    out[k] = '\0';
    return true;
}

static int cmp_code(const void *a, const void *b)
{
    return strcmp(a, b);
}

static int cmp_name(const void *key, const void *elem)
{
    return strcmp(key, ((const struct country_name *)elem)->key);
}

const char *ectl_country_code(const char *name, size_t len)
{
    if (!name)
        return NULL;
    const char *s = name;
    size_t n = len;
    ing_trim(&s, &n);
    if (n == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z') {
        char code[3] = {s[0], s[1], '\0'};
        const char(*hit)[3] =
            bsearch(code, codes, sizeof codes / sizeof codes[0], sizeof codes[0], cmp_code);
        if (hit)
            return *hit;
    }
    char key[KEY_MAX];
    if (!fold_key(s, n, key))
        return NULL;
    const struct country_name *hit =
        bsearch(key, names, sizeof names / sizeof names[0], sizeof names[0], cmp_name);
    return hit ? hit->code : NULL;
}

bool ectl__country_unmapped_on_purpose(const char *name, size_t len)
{
    char key[KEY_MAX];
    const char *s = name;
    size_t n = len;
    ing_trim(&s, &n);
    if (!fold_key(s, n, key))
        return false;
    for (size_t i = 0; i < sizeof unmapped / sizeof unmapped[0]; i++)
        if (strcmp(key, unmapped[i]) == 0)
            return true;
    return false;
}

const char *ectl__country_table_entry(size_t i, const char **code)
{
    if (i >= sizeof names / sizeof names[0])
        return NULL;
    *code = names[i].code;
    return names[i].key;
}
