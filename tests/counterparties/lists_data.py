"""Small sanctions lists in their publishers' formats, written for these tests."""

import datetime as dt
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "sanctions"
# The first 300 rows of the shared OFAC snapshot (Ayman al-Zawahiri, entry 2676, is among them). The matcher's
# index needs a few dozen names at least to weigh trigrams, so the lists here are not tiny.
OFAC_SMALL = b"".join((SHARED / "ofac_sdn_2024-05.csv").read_bytes().splitlines(keepends=True)[:300])
# A later version of the same list: one more entry.
OFAC_SMALL_NEXT = OFAC_SMALL + (
    b'9001,"PETROVSKY, Ivan Sergeyevich","individual","RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    b'"DOB 02 Mar 1970; nationality Russia."\r\n'
)
OFAC_PUBLISHED = dt.date(2024, 5, 31)

UN_SMALL = (
    b'<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="2020-11-30T20:31:19.923-05:00"><INDIVIDUALS>'
    b"<INDIVIDUAL><DATAID>6908555</DATAID><FIRST_NAME>RI</FIRST_NAME><SECOND_NAME>WON HO</SECOND_NAME>"
    b"<UN_LIST_TYPE>DPRK</UN_LIST_TYPE><NATIONALITY><VALUE>Democratic People's Republic of Korea</VALUE>"
    b"</NATIONALITY><INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1964-07-17</DATE>"
    b"</INDIVIDUAL_DATE_OF_BIRTH><INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT>"
    b"<NUMBER>381310014</NUMBER></INDIVIDUAL_DOCUMENT></INDIVIDUAL>"
    b"</INDIVIDUALS><ENTITIES><ENTITY><DATAID>110</DATAID><FIRST_NAME>KOREA MINING DEVELOPMENT TRADING "
    b"CORPORATION</FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE><ENTITY_ALIAS><QUALITY>Good</QUALITY>"
    b"<ALIAS_NAME>KOMID</ALIAS_NAME></ENTITY_ALIAS></ENTITY></ENTITIES></CONSOLIDATED_LIST>"
)
