"""extract.dates on hand-written sentences: (sentence, published, expected rows), one table.

Each expected row is (text, start, end, granularity, relation); `None` start/end
means the date cannot be resolved. Ids name what the case covers.
"""
from __future__ import annotations

import datetime as dt

import pytest

from extract.clean.rules import CleaningRules
from extract.clean.stamps import stamp_spans
from extract.dates.find import find_dates, resolve_date
from extract.dates.rules import default_rules

P = "2020-01-06"  # a Monday
CASES = [
    # --- days, every common form
    ("day-dmy", "He arrived on 24 September 2012.", P, [("24 September 2012", "2012-09-24", "2012-09-24", "day", None)]),
    ("day-mdy-abbrev", "He arrived on Sept. 24, 2012, in Baghdad.", P, [("Sept. 24, 2012", "2012-09-24", "2012-09-24", "day", None)]),
    ("day-iso", "The order is dated 2012-09-24.", P, [("2012-09-24", "2012-09-24", "2012-09-24", "day", None)]),
    ("day-slash-dayfirst-evident", "Signed 24/09/2012.", P, [("24/09/2012", "2012-09-24", "2012-09-24", "day", None)]),
    ("day-no-year-anchor", "In 2012 talks resumed, and on Sept. 24 they signed.", P, [("2012", "2012-01-01", "2012-12-31", "year", None), ("Sept. 24", "2012-09-24", "2012-09-24", "day", None)]),
    ("day-no-year-published", "The team will arrive on Sept. 24.", "2019-05-01", [("Sept. 24", "2019-09-24", "2019-09-24", "day", None)]),
    ("day-no-year-unknown", "The team will arrive on Sept. 24.", None, [("Sept. 24", None, None, "day", None)]),
    ("day-ordinal", "It opened on the 3rd of March 2015.", P, [("3rd of March 2015", "2015-03-03", "2015-03-03", "day", None)]),
    ("day-weekday-prefix", "It opened Monday, January 12, 2015.", P, [("Monday, January 12, 2015", "2015-01-12", "2015-01-12", "day", None)]),
    ("day-leading-zero", "Talks on 03 December 2015 ended.", P, [("03 December 2015", "2015-12-03", "2015-12-03", "day", None)]),
    ("day-abbrev-no-dot", "Delivered Dec 3 2015 to the port.", P, [("Dec 3 2015", "2015-12-03", "2015-12-03", "day", None)]),
    ("day-invalid", "A report dated 31 February 2015 is a forgery.", P, []),
    ("day-compact-hyphen", "Signed on 24-Sep-2012 in Baghdad.", P, [("24-Sep-2012", "2012-09-24", "2012-09-24", "day", None)]),
    ("day-compact-dot", "Signed 24.Sept.2012 in Erbil.", P, [("24.Sept.2012", "2012-09-24", "2012-09-24", "day", None)]),
    ("day-compact-slash-full-name", "Amended 3/March/2015 by letter.", P, [("3/March/2015", "2015-03-03", "2015-03-03", "day", None)]),
    ("day-compact-invalid", "Dated 31-Feb-2015 in error.", P, []),
    ("day-compact-since", "Since 24-Sep-2012 the unit trains.", P, [("Since 24-Sep-2012", "2012-09-24", "2012-09-24", "day", "since")]),
    ("day-no-year-leap-anchor", "In 2016 talks resumed; on 29 February they signed.", P, [("2016", "2016-01-01", "2016-12-31", "year", None), ("29 February", "2016-02-29", "2016-02-29", "day", None)]),
    ("day-month-the-ordinal", "It opened March the 3rd, 2015.", P, [("March the 3rd, 2015", "2015-03-03", "2015-03-03", "day", None)]),
    ("day-abbrev-dot-no-year", "The team will arrive on 24 Sept. at noon.", "2019-05-01", [("24 Sept.", "2019-09-24", "2019-09-24", "day", None)]),
    ("day-leap", "Leap day 29 February 2016 came.", P, [("29 February 2016", "2016-02-29", "2016-02-29", "day", None)]),
    # --- day-month order
    ("order-ambiguous-unknown", "Contract 06-01-2020 signed.", P, [("06-01-2020", None, None, "day", None)]),
    ("order-evidence-dayfirst", "Signed 06-01-2020 and amended 25-03-2020.", P, [("06-01-2020", "2020-01-06", "2020-01-06", "day", None), ("25-03-2020", "2020-03-25", "2020-03-25", "day", None)]),
    ("order-evidence-monthfirst", "Signed 06-01-2020 and amended 03-25-2020.", P, [("06-01-2020", "2020-06-01", "2020-06-01", "day", None), ("03-25-2020", "2020-03-25", "2020-03-25", "day", None)]),
    ("order-same-day-month", "Signed 05/05/2020.", P, [("05/05/2020", "2020-05-05", "2020-05-05", "day", None)]),
    ("order-two-digit-year", "Signed 9-18-15 in Erbil.", P, [("9-18-15", "2015-09-18", "2015-09-18", "day", None)]),
    # --- months
    ("month-year", "In July 2015 the mission began.", P, [("July 2015", "2015-07-01", "2015-07-31", "month", None)]),
    ("month-abbrev-year", "In Sept. 2015 the mission began.", P, [("Sept. 2015", "2015-09-01", "2015-09-30", "month", None)]),
    ("month-of-year", "In June of 2016 they met.", P, [("June of 2016", "2016-06-01", "2016-06-30", "month", None)]),
    ("month-feb-leap", "February 2016 was cold.", P, [("February 2016", "2016-02-01", "2016-02-29", "month", None)]),
    ("month-bare-anchor", "In July 2021 talks began; Austin made a visit in March.", P, [("July 2021", "2021-07-01", "2021-07-31", "month", None), ("March", "2021-03-01", "2021-03-31", "month", None)]),
    ("month-bare-past-moves-back", "On 03 February 2019 he spoke. The visit was in December.", P, [("03 February 2019", "2019-02-03", "2019-02-03", "day", None), ("December", "2018-12-01", "2018-12-31", "month", None)]),
    ("month-bare-future-stays", "On 03 February 2019 he spoke. A visit will follow in December.", P, [("03 February 2019", "2019-02-03", "2019-02-03", "day", None), ("December", "2019-12-01", "2019-12-31", "month", None)]),
    ("month-may-modal", "Iraq may request more aid.", P, []),
    ("month-march-verb", "Troops march to the border.", P, []),
    ("month-name-person", "Ambassador April Glaspie met him.", P, []),
    ("month-this", "It closes this September.", "2016-11-07", [("this September", "2016-09-01", "2016-09-30", "month", None)]),
    ("month-next", "It opens next June.", "2016-11-07", [("next June", "2017-06-01", "2017-06-30", "month", None)]),
    # --- quarters, halves, seasons
    ("quarter-q", "Deliveries in Q3 2016 slipped.", P, [("Q3 2016", "2016-07-01", "2016-09-30", "quarter", None)]),
    ("quarter-words", "Deliveries in the third quarter of 2016 slipped.", P, [("third quarter of 2016", "2016-07-01", "2016-09-30", "quarter", None)]),
    ("quarter-fourth", "Results for the fourth quarter of 2019 are due.", P, [("fourth quarter of 2019", "2019-10-01", "2019-12-31", "quarter", None)]),
    ("quarter-this-year", "The second quarter this year was slow.", "2017-05-05", [("second quarter this year", "2017-04-01", "2017-06-30", "quarter", None)]),
    ("quarter-relative", "Sales fell last quarter.", "2020-05-10", [("last quarter", "2020-01-01", "2020-03-31", "quarter", None)]),
    ("half-first", "In the first half of 2012 aid rose.", P, [("first half of 2012", "2012-01-01", "2012-06-30", "half", None)]),
    ("half-second", "In the second half of 2021 aid rose.", P, [("second half of 2021", "2021-07-01", "2021-12-31", "half", None)]),
    ("half-h1", "H1 2012 results.", P, [("H1 2012", "2012-01-01", "2012-06-30", "half", None)]),
    ("half-h2", "H2 2019 results.", P, [("H2 2019", "2019-07-01", "2019-12-31", "half", None)]),
    ("season-summer", "In summer 2014 ISIL advanced.", P, [("summer 2014", "2014-06-01", "2014-08-31", "season", None)]),
    ("season-winter-crosses-year", "In winter 2014 the roads froze.", P, [("winter 2014", "2014-12-01", "2015-02-28", "season", None)]),
    ("season-fall", "In fall 2015 the unit left.", P, [("fall 2015", "2015-09-01", "2015-11-30", "season", None)]),
    ("season-spring-of", "By the spring of 2019 it was done.", P, [("By the spring of 2019", "2019-03-01", "2019-05-31", "season", "until")]),
    ("season-this", "Training runs until this spring.", "2022-06-15", [("until this spring", "2022-03-01", "2022-05-31", "season", "until")]),
    # --- years, decades, centuries
    ("year", "The agreement of 2008 stands.", P, [("2008", "2008-01-01", "2008-12-31", "year", None)]),
    ("year-calendar", "Sales reached $11 billion in calendar 1990.", P, [("calendar 1990", "1990-01-01", "1990-12-31", "year", None)]),
    ("decade", "Ties date from the 1980s.", P, [("the 1980s", "1980-01-01", "1989-12-31", "decade", None)]),
    ("decade-short", "Ties date from the '90s.", P, [("the '90s", "1990-01-01", "1999-12-31", "decade", None)]),
    ("decade-apostrophe", "In the 1970's oil boomed.", P, [("the 1970's", "1970-01-01", "1979-12-31", "decade", None)]),
    ("decade-word", "In the seventies oil boomed.", P, [("the seventies", "1970-01-01", "1979-12-31", "decade", None)]),
    ("decade-no-the", "Aid in 2000s programs.", P, [("2000s", "2000-01-01", "2009-12-31", "decade", None)]),
    ("century-number", "Threats of the 21st century.", P, [("the 21st century", "2000-01-01", "2099-12-31", "century", None)]),
    ("century-word", "Wars of the twentieth century.", P, [("the twentieth century", "1900-01-01", "1999-12-31", "century", None)]),
    # --- fiscal years
    ("fy-joined", "FMF in FY2016 rose.", P, [("FY2016", "2015-10-01", "2016-09-30", "fiscal_year", None)]),
    ("fy-space", "FMF in FY 2016 rose.", P, [("FY 2016", "2015-10-01", "2016-09-30", "fiscal_year", None)]),
    ("fy-two-digit", "FMF in FY16 rose.", P, [("FY16", "2015-10-01", "2016-09-30", "fiscal_year", None)]),
    ("fy-apostrophe", "FMF in FY'16 rose.", P, [("FY'16", "2015-10-01", "2016-09-30", "fiscal_year", None)]),
    ("fy-fiscal-apostrophe", "Aid in fiscal '92 fell.", P, [("fiscal '92", "1991-10-01", "1992-09-30", "fiscal_year", None)]),
    ("not-fiscal-percent", "A fiscal 10 percent cut was proposed.", P, []),
    ("fy-words", "In fiscal year 2016 FMF rose.", P, [("fiscal year 2016", "2015-10-01", "2016-09-30", "fiscal_year", None)]),
    ("fy-fiscal-only", "Grants of $4 billion in fiscal 1992.", P, [("fiscal 1992", "1991-10-01", "1992-09-30", "fiscal_year", None)]),
    ("fy-two-year-us", "Requests for FY2016-17 grew.", P, [("FY2016-17", "2016-10-01", "2017-09-30", "fiscal_year", None)]),
    ("fy-range-years-us", "Budgets for FY2016-2018 grew.", P, [("FY2016-2018", "2015-10-01", "2018-09-30", "fiscal_year", None)]),
    ("fy-list", "FMF in FY2016 and FY2017 rose.", P, [("FY2016", "2015-10-01", "2016-09-30", "fiscal_year", None), ("FY2017", "2016-10-01", "2017-09-30", "fiscal_year", None)]),
    ("fy-list-plural", "Fiscal years 2016, 2017 and 2018 saw cuts.", P, [("Fiscal years 2016", "2015-10-01", "2016-09-30", "fiscal_year", None), ("2017", "2016-10-01", "2017-09-30", "fiscal_year", None), ("2018", "2017-10-01", "2018-09-30", "fiscal_year", None)]),
    ("fy-since", "Since FY 2015 the program grew.", P, [("Since FY 2015", "2014-10-01", "2015-09-30", "fiscal_year", "since")]),
    # a bare pair of years is the fiscal year of the government the text makes plain (LABELING), else two years
    ("pair-india", "The scheme got Rs 500 crore in 2023-24.", P, [("2023-24", "2023-04-01", "2024-03-31", "fiscal_year", None)]),
    ("pair-india-elsewhere", "In 2023-24 the budget rose. It was Rs 500 crore.", P,
     [("2023-24", "2023-04-01", "2024-03-31", "fiscal_year", None)]),
    ("pair-uk", "HM Treasury set aside the sum for 2024-25.", P, [("2024-25", "2024-04-01", "2025-03-31", "fiscal_year", None)]),
    ("pair-us-money", "The 2015-16 season cost $5 million.", P, [("2015-16", "2015-01-01", "2016-12-31", "year", None)]),
    ("pair-no-government", "It ran 2015-16.", P, [("2015-16", "2015-01-01", "2016-12-31", "year", None)]),
    ("pair-not-consecutive", "It ran 2015-17, Rs 5 crore.", P, [("2015-17", "2015-01-01", "2017-12-31", "year", None)]),
    ("fy-uk-phrase", "The fund gave £2 million in financial year 2021-22.", P, [("financial year 2021-22", "2021-04-01", "2022-03-31", "fiscal_year", None)]),
    ("fy-india-phrase", "Outlay for FY2016-17 was Rs 86,340 crore.", P, [("FY2016-17", "2016-04-01", "2017-03-31", "fiscal_year", None)]),
    ("fy-india-single", "Outlay for FY2017 was Rs 900 crore.", P, [("FY2017", "2016-04-01", "2017-03-31", "fiscal_year", None)]),
    ("fy-range", "Deliveries from FY2019 to FY2021 rise.", P, [("from FY2019 to FY2021", "2018-10-01", "2021-09-30", "fiscal_year", None)]),
    ("fy-not-year", "FY2016 is not 2016.", P, [("FY2016", "2015-10-01", "2016-09-30", "fiscal_year", None), ("2016", "2016-01-01", "2016-12-31", "year", None)]),
    # --- fiscal years named by a year pair, and the calendar the text points to (no source here)
    ("fy-pair-financial-after", "Grants in the 2019-20 financial year doubled.", P, [("2019-20 financial year", "2019-04-01", "2020-03-31", "fiscal_year", None)]),
    ("fy-pair-fiscal-after-us", "Outlays for the 2019-20 fiscal year doubled.", P, [("2019-20 fiscal year", "2019-10-01", "2020-09-30", "fiscal_year", None)]),
    ("fy-single-fiscal-after", "The deficit in the 2005 fiscal year grew.", P, [("2005 fiscal year", "2004-10-01", "2005-09-30", "fiscal_year", None)]),
    ("fy-pair-compared", "In the 2017-18 financial year aid rose 5% on 2016-17.", P, [("2017-18 financial year", "2017-04-01", "2018-03-31", "fiscal_year", None), ("2016-17", "2016-04-01", "2017-03-31", "fiscal_year", None)]),
    ("fy-pair-compared-first", "Compared with 2016/17, spending in financial year 2017/18 rose.", P, [("2016/17", "2016-04-01", "2017-03-31", "fiscal_year", None), ("financial year 2017/18", "2017-04-01", "2018-03-31", "fiscal_year", None)]),
    ("not-fy-pair-not-following", "In the 2017-18 financial year the 2021-27 plan began.", P, [("2017-18 financial year", "2017-04-01", "2018-03-31", "fiscal_year", None), ("2021-27", "2021-01-01", "2027-12-31", "year", None)]),
    ("not-fy-pair-other-sentence", "Aid rose in the 2017-18 financial year. The 2018-19 figures are due.", P, [("2017-18 financial year", "2017-04-01", "2018-03-31", "fiscal_year", None), ("2018-19", "2018-01-01", "2019-12-31", "year", None)]),
    ("fy-currency-aud", "The program received A$15 million in the 2020-21 financial year.", P, [("2020-21 financial year", "2020-07-01", "2021-06-30", "fiscal_year", None)]),
    ("fy-currency-cad-code", "Ottawa budgeted CAD 40 million for fiscal year 2019-20.", P, [("fiscal year 2019-20", "2019-04-01", "2020-03-31", "fiscal_year", None)]),
    ("fy-currency-cad-sign", "It cost C$3 million in the 2018-19 fiscal year.", P, [("2018-19 fiscal year", "2018-04-01", "2019-03-31", "fiscal_year", None)]),
    ("fy-currency-tie-decides-nothing", "The fund got A$2 million and C$2 million in fiscal year 2019-20.", P, [("fiscal year 2019-20", "2019-10-01", "2020-09-30", "fiscal_year", None)]),
    ("fy-currency-needs-an-amount", "CAD drawings for the 2019-20 fiscal year were late.", P, [("2019-20 fiscal year", "2019-10-01", "2020-09-30", "fiscal_year", None)]),
    ("fy-document-currency", "Canberra pledged A$8 million to the fund.\nMost of it falls in the 2021-22 financial year.", P, [("2021-22 financial year", "2021-07-01", "2022-06-30", "fiscal_year", None)]),
    ("fy-document-skips-us-way", "New Delhi spent Rs 500 crore on spares.\nUS deliveries in FY2019 rise.", P, [("FY2019", "2018-10-01", "2019-09-30", "fiscal_year", None)]),
    # --- modifiers
    ("mod-early", "Since early 2016 NATO trains.", P, [("Since early 2016", "2016-01-01", "2016-12-31", "year", "since")]),
    ("mod-mid", "By mid-2016 it was over.", P, [("By mid-2016", "2016-01-01", "2016-12-31", "year", "until")]),
    ("mod-end-hyphen", "Debt fell by end-2015.", P, [("by end-2015", "2015-01-01", "2015-12-31", "year", "until")]),
    ("mod-late-month", "In late October 2013 he visited.", P, [("late October 2013", "2013-10-01", "2013-10-31", "month", None)]),
    ("mod-late-in", "It resumed late in 2014.", P, [("late in 2014", "2014-01-01", "2014-12-31", "year", None)]),
    ("mod-beginning", "At the beginning of 2017 it started.", P, [("the beginning of 2017", "2017-01-01", "2017-12-31", "year", None)]),
    ("mod-end-by", "Done by the end of December 2013.", P, [("by the end of December 2013", "2013-12-01", "2013-12-31", "month", "until")]),
    ("mod-later-this-year", "A deal is expected later this year.", "2024-01-05", [("later this year", "2024-01-01", "2024-12-31", "year", None)]),
    ("mod-later-this-month", "A deal is expected later this month.", "2017-08-14", [("later this month", "2017-08-01", "2017-08-31", "month", None)]),
    # --- ranges and lists
    ("range-from-to", "NTM-I ran from 2004 to 2011.", P, [("from 2004 to 2011", "2004-01-01", "2011-12-31", "year", None)]),
    ("range-hyphen", "The 2004-2011 mission ended.", P, [("2004-2011", "2004-01-01", "2011-12-31", "year", None)]),
    ("range-en-dash-short", "Budgets for 2021–27 grew.", P, [("2021–27", "2021-01-01", "2027-12-31", "year", None)]),
    ("range-between-months", "Between April and December 2016 they trained.", P, [("Between April and December 2016", "2016-04-01", "2016-12-31", "month", None)]),
    ("range-month-day", "Talks ran November 19-20, 2015.", P, [("November 19-20, 2015", "2015-11-19", "2015-11-20", "day", None)]),
    ("range-days-of-month", "Talks ran from 4 to 22 January, 1995.", P, [("from 4 to 22 January, 1995", "1995-01-04", "1995-01-22", "day", None)]),
    ("range-mixed", "From March 2015 to June 2016 it grew.", P, [("From March 2015 to June 2016", "2015-03-01", "2016-06-30", "month", None)]),
    ("list-years", "Aid rose in 2015 and 2016.", P, [("2015", "2015-01-01", "2015-12-31", "year", None), ("2016", "2016-01-01", "2016-12-31", "year", None)]),
    ("list-months", "Visits in March 2016, July 2016 and January 2017.", P, [("March 2016", "2016-03-01", "2016-03-31", "month", None), ("July 2016", "2016-07-01", "2016-07-31", "month", None), ("January 2017", "2017-01-01", "2017-01-31", "month", None)]),
    # --- relations
    ("rel-since", "Since 2015 the coalition trained 200,000.", P, [("Since 2015", "2015-01-01", "2015-12-31", "year", "since")]),
    ("rel-dating-back", "A partnership dating back to the 1980s.", P, [("dating back to the 1980s", "1980-01-01", "1989-12-31", "decade", "since")]),
    ("rel-until", "Training continues until March 2023.", P, [("until March 2023", "2023-03-01", "2023-03-31", "month", "until")]),
    ("rel-through", "Funding runs through September 2023.", P, [("through September 2023", "2023-09-01", "2023-09-30", "month", "until")]),
    ("rel-by", "By 2018 it was over.", P, [("By 2018", "2018-01-01", "2018-12-31", "year", "until")]),
    ("rel-before", "Deals could be signed before March 2018.", P, [("before March 2018", "2018-03-01", "2018-03-31", "month", "before")]),
    ("rel-prior-to", "Prior to 2003 there was none.", P, [("Prior to 2003", "2003-01-01", "2003-12-31", "year", "before")]),
    ("rel-after", "After 2011 the troops left.", P, [("After 2011", "2011-01-01", "2011-12-31", "year", "after")]),
    ("rel-beyond", "The mission may last beyond 2025.", P, [("beyond 2025", "2025-01-01", "2025-12-31", "year", "after")]),
    ("rel-distant", "Since the operation began in 2015, 20,000 were trained.", P, [("2015", "2015-01-01", "2015-12-31", "year", "since")]),
    ("rel-distant-prior", "Prior to the closure of the mission in December 2011, staff helped.", P, [("December 2011", "2011-12-01", "2011-12-31", "month", "before")]),
    ("rel-distant-inner", "Italy has trained police since the mission was created in 2004.", P, [("2004", "2004-01-01", "2004-12-31", "year", "since")]),
    ("rel-distant-inner-after", "Aid resumed after the ceasefire was signed on 5 May 2016.", P, [("5 May 2016", "2016-05-05", "2016-05-05", "day", "after")]),
    ("not-rel-distant-no-verb", "He testified before the committee in 2019.", P, [("2019", "2019-01-01", "2019-12-31", "year", None)]),
    ("not-rel-distant-other-clause", "She left after the vote and served in 2019 as envoy.", P, [("2019", "2019-01-01", "2019-12-31", "year", None)]),
    ("not-rel-distant-cue-has-its-date", "Vetoes were rare after 1990 when the last one came in 2004.", P, [("after 1990", "1990-01-01", "1990-12-31", "year", "after"), ("2004", "2004-01-01", "2004-12-31", "year", None)]),
    ("not-rel-distant-too-far", "Aid grew since the regional centre for maritime border police officers opened in 2012.", P, [("2012", "2012-01-01", "2012-12-31", "year", None)]),
    # --- relative dates
    ("relative-last-year", "Aid rose last year.", "2024-01-15", [("last year", "2023-01-01", "2023-12-31", "year", None)]),
    ("relative-this-month", "Aid rose this month.", "2024-01-15", [("this month", "2024-01-01", "2024-01-31", "month", None)]),
    ("relative-last-month", "Aid rose last month.", "2022-06-15", [("last month", "2022-05-01", "2022-05-31", "month", None)]),
    ("relative-saturday-past", "He met them on Saturday.", "2024-01-17", [("Saturday", "2024-01-13", "2024-01-13", "day", None)]),
    ("relative-monday-future", "He will meet them on Monday.", "2024-01-17", [("Monday", "2024-01-22", "2024-01-22", "day", None)]),
    ("relative-yesterday", "It was announced yesterday.", "2024-01-05", [("yesterday", "2024-01-04", "2024-01-04", "day", None)]),
    ("relative-today", "The department today announced aid.", "2022-06-15", [("today", "2022-06-15", "2022-06-15", "day", None)]),
    ("relative-tomorrow", "It arrives tomorrow.", "2024-01-05", [("tomorrow", "2024-01-06", "2024-01-06", "day", None)]),
    ("relative-next-week", "It meets next week.", "2022-06-15", [("next week", "2022-06-20", "2022-06-26", "week", None)]),
    ("relative-last-week", "It met last week.", "2017-08-14", [("last week", "2017-08-07", "2017-08-13", "week", None)]),
    ("relative-this-week", "It meets this week.", "2020-01-06", [("this week", "2020-01-06", "2020-01-12", "week", None)]),
    ("relative-this-weekend", "It meets this weekend.", "2016-11-07", [("this weekend", "2016-11-12", "2016-11-13", "weekend", None)]),
    ("relative-next-year", "It ends next year.", "2016-11-07", [("next year", "2017-01-01", "2017-12-31", "year", None)]),
    ("relative-unknown", "It met last week and will meet next year.", None, [("last week", None, None, "week", None), ("next year", None, None, "year", None)]),
    ("relative-last-friday", "It met last Friday.", "2016-11-07", [("last Friday", "2016-11-04", "2016-11-04", "day", None)]),
    ("relative-next-sunday", "It meets next Sunday.", "2016-11-07", [("next Sunday", "2016-11-20", "2016-11-20", "day", None)]),
    ("relative-week-of", "Talks in the week of 3 June 2019.", P, [("the week of 3 June 2019", "2019-06-03", "2019-06-09", "week", None)]),
    ("week-nth-of-month", "Talks in the last week of July 2016 failed.", P, [("last week of July 2016", "2016-07-25", "2016-07-31", "week", None)]),
    ("week-nth-of-year-iso", "The first week of 2015 was quiet.", P, [("first week of 2015", "2014-12-29", "2015-01-04", "week", None)]),
    ("week-nth-relative", "It opens the third week of this month.", "2016-11-07", [("third week of this month", "2016-11-21", "2016-11-27", "week", None)]),
    ("relative-nowadays", "Today, forces continue to advise.", "2020-01-06", []),
    # --- not dates
    ("not-duration", "The program ran for two years and 18 months.", P, []),
    ("not-age", "A 45-year-old officer and a man aged 30 attended.", P, []),
    ("not-time", "The meeting began at 10:30 and ended at 2 p.m.", P, []),
    ("not-model-numbers", "The C-172, OH-58 and F-16 fleets and the Bell 407GX grew.", P, []),
    ("not-count", "It trained 16,298 in 2012.", P, [("2012", "2012-01-01", "2012-12-31", "year", None)]),
    ("not-percent", "A 2015% rise is absurd.", P, []),
    ("not-phone", "Call 202-647-2492 or (202) 647-4000.", P, []),
    ("not-money", "It cost $2015, then $2,016.", P, []),
    ("not-resolution", "Under Resolution 1546 the mission began.", P, []),
    ("not-troop-count", "About 2000 troops and 1900 soldiers deployed.", P, []),
    ("not-vague", "Aid is currently flowing, as it has in recent years, each year.", P, []),
    ("anchor-needs-written-year", "In 1986 it shipped 2 mln dlrs April 1-15 and April 16-30.", P, [("1986", "1986-01-01", "1986-12-31", "year", None), ("April 1-15", "1986-04-01", "1986-04-15", "day", None), ("April 16-30", "1986-04-16", "1986-04-30", "day", None)]),
    ("not-copyright", "Report text.\n© 2021 European Security Policy Forum.", P, []),
    ("not-surname", "England sevens coach Mike Friday said so.", P, []),
    ("not-may-modal-this", "He said this may be the worst disaster.", P, []),
    ("not-final-quarter", "Wales scored in the final quarter of the match.", P, []),
    ("uk-year-pair", "Contributions rose in 2002/03 by 8.6%.", P, [("2002/03", "2002-01-01", "2003-12-31", "year", None)]),
    ("not-decimal", "Version 2015.3 ships.", P, []),
]


# The page's own dates, as cleaning marks them (Cleaned.stamps): no rows, whatever their shape.
STAMP_CASES = [
    ("dateline", "WASHINGTON, Jan. 5, 2024 -- The deal was signed in March 2023.", [("March 2023", "2023-03-01", "2023-03-31", "month", None)]),
    ("dateline-wire-tag", "OTTAWA, May 4, 2021 /CNW/ - The minister met envoys in March 2021.", [("March 2021", "2021-03-01", "2021-03-31", "month", None)]),
    ("dateline-title-case", "Tokyo, April 17 - Talks began in March 2023.", [("March 2023", "2023-03-01", "2023-03-31", "month", None)]),
    ("label-line", "Ministry of Defence\nPublished 12 March 2021\nThe UK extends training until March 2023.", [("until March 2023", "2023-03-01", "2023-03-31", "month", "until")]),
    ("label-alone-then-date", "Last updated:\n\n14 August 2017\n\nThe UK extends training until March 2023.", [("until March 2023", "2023-03-01", "2023-03-31", "month", "until")]),
    ("byline-segment", "Marta Lindqvist | 18 May 2021 | 6 min read\nThe radars arrive in 2023.", [("2023", "2023-01-01", "2023-12-31", "year", None)]),
    ("linked-item", "Related\nMinister visits troops (4 February 2021)\nThe radars arrive in 2023.", [("2023", "2023-01-01", "2023-12-31", "year", None)]),
    ("sentence-with-a-dash-is-no-dateline", "Rates went up five times from November 2003 - as the bank sought calm.", [("November 2003", "2003-11-01", "2003-11-30", "month", None)]),
    ("one-line-text-has-no-stamp", "18 May 2021", [("18 May 2021", "2021-05-18", "2021-05-18", "day", None)]),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in STAMP_CASES], ids=[c[0] for c in STAMP_CASES])
def test_the_pages_own_dates_are_no_rows(rules: CleaningRules, text, expected):
    rows = find_dates(text, None, stamps=stamp_spans(text, "MDY", rules.stamps))
    found = [(r.text, r.date_start, r.date_end, r.granularity, r.relation) for r in rows]
    assert found == [(t, as_date(s), as_date(e), g, rel) for t, s, e, g, rel in expected]


def test_without_stamps_every_date_is_a_reference():
    """find_dates alone (no cleaning) keeps a dateline's date: deciding it is the page's is cleaning's."""
    rows = find_dates("WASHINGTON, Jan. 5, 2024 -- The deal was signed in March 2023.", None)
    assert [r.text for r in rows] == ["Jan. 5, 2024", "March 2023"]
    assert [r.text for r in find_dates("WASHINGTON, Jan. 5, 2024 -- It was signed in March.", None, stamps=[(0, 27)])] == ["March"]


def days(rows) -> list[tuple[dt.date | None, dt.date | None]]:
    return [(r.date_start, r.date_end) for r in rows]


def as_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@pytest.mark.parametrize("sentence,published,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_find_dates(sentence, published, expected):
    rows = find_dates(sentence, as_date(published))
    found = [(r.text, r.date_start, r.date_end, r.granularity, r.relation) for r in rows]
    assert found == [(t, as_date(s), as_date(e), g, rel) for t, s, e, g, rel in expected]
    for row in rows:
        assert sentence[row.start_char : row.end_char] == row.text


@pytest.mark.parametrize("expression,published,expected", [
    ("FY16", None, ("2015-10-01", "2016-09-30", "fiscal_year")),
    ("the third quarter of 2016", None, ("2016-07-01", "2016-09-30", "quarter")),
    ("last week", "2017-08-14", ("2017-08-07", "2017-08-13", "week")),
    ("last week", None, (None, None, "week")),
], ids=["fy16", "quarter", "last-week", "last-week-unknown"])
def test_resolve_date(expression, published, expected):
    start, end, granularity = expected
    assert resolve_date(expression, as_date(published)) == (as_date(start), as_date(end), granularity)


def test_resolve_date_of_a_non_date_is_none():
    assert resolve_date("two years", dt.date(2020, 1, 1)) is None


@pytest.mark.parametrize("sentence,source,expected", [
    ("Spending in FY2021 rose.", "www.gov.uk", ("2021-04-01", "2022-03-31")),
    ("Spending in the 2022-23 financial year rose.", "Australian Government | Defence", ("2022-07-01", "2023-06-30")),
    ("Spending in fiscal year 2022-23 rose.", "Canada Newswire", ("2022-04-01", "2023-03-31")),
    ("Spending in fiscal year 2022-23 rose.", "www.canada.ca", ("2022-04-01", "2023-03-31")),
    ("Allies gave A$8 million.\nOutlays in fiscal year 2021-22 rose.", "www.crs.gov", ("2021-10-01", "2022-09-30")),
    ("Allies gave A$8 million.\nOutlays in the 2021-22 financial year rose.", "Department of Defence", ("2021-07-01", "2022-06-30")),
    ("India spent Rs 900 crore in FY2017.", "www.gov.uk", ("2016-04-01", "2017-03-31")),
    ("The grant of A$4 million falls in FY2021-22.", "www.gov.uk", ("2021-07-01", "2022-06-30")),
], ids=["gov-uk", "australian-government", "canada-newswire", "canada-ca", "us-source-beats-document",
        "document-when-source-unknown", "sentence-beats-source", "sentence-currency-beats-source"])
def test_fiscal_calendar_by_source(sentence, source, expected):
    rows = [r for r in find_dates(sentence, None, source=source) if r.granularity == "fiscal_year"]
    assert days(rows) == [tuple(as_date(d) for d in expected)]


JAN_6, JUNE_1 = dt.date(2020, 1, 6), dt.date(2020, 6, 1)


def test_day_first_by_source():
    assert days(find_dates("Signed 06-01-2020.", None, source="www.gov.uk")) == [(JAN_6, JAN_6)]
    assert days(find_dates("Signed 06-01-2020.", None, source="www.state.gov")) == [(JUNE_1, JUNE_1)]
    assert days(find_dates("Signed 06-01-2020.", None, source="GOV.UK | Ministry of Defence")) == [(JAN_6, JAN_6)]
    assert days(find_dates("Signed 06-01-2020.", None, source="www.india.gov.in.example.com")) == [(None, None)]  # ".in" must end the source


@pytest.mark.parametrize(("order", "expected"), [("DMY", JAN_6), ("MDY", JUNE_1), ("YMD", None), (None, None)])
def test_the_sites_date_order_decides_without_a_source(order, expected):
    """YMD says nothing of a date whose year comes last: with no source and no evidence it stays unresolved."""
    assert days(find_dates("Signed 06-01-2020.", None, date_order=order)) == [(expected, expected)]


@pytest.mark.parametrize(("source", "order", "expected"), [
    ("www.state.gov", "DMY", JAN_6),  # .gov says month first
    ("www.gov.uk", "MDY", JUNE_1),  # .uk and GOV.UK say day first
    ("www.gov.uk", "YMD", JAN_6),  # YMD leaves it to the source
], ids=["dmy-beats-gov", "mdy-beats-uk", "ymd-falls-through"])
def test_the_sites_date_order_beats_day_first_by_source(source, order, expected):
    assert days(find_dates("Signed 06-01-2020.", None, source=source, date_order=order)) == [(expected, expected)]


def test_the_sites_date_order_beats_the_documents_evidence():
    rows = find_dates("Signed 06-01-2020 and amended 03-25-2020.", None, date_order="DMY")
    assert days(rows) == [(JAN_6, JAN_6), (dt.date(2020, 3, 25), dt.date(2020, 3, 25))]


def test_a_named_sites_order_is_set_in_cleaning_only():
    """day_first_by_source keeps no key for a site that rules/cleaning.yml names with a date_order:
    the two would have to be kept in step, and the site's order wins anyway."""
    from extract.clean.rules import load_cleaning_rules
    from extract.dates.calendars import source_matches
    from extract.dates.rules import default_rules

    from ..conftest import RULES

    sites = [site.name for site in load_cleaning_rules(RULES).sites if site.date_order]
    assert sites
    keys = [key for key in default_rules().day_first_by_source if not key.startswith(".")]
    assert [(key, name) for key in keys for name in sites if source_matches(name, key)] == []


def test_an_unknown_fiscal_calendar_is_a_rule_error_with_its_line(tmp_path):
    from extract.dates.rules import load_date_rules
    from extract.errors import RuleError

    from ..conftest import RULES

    text = (RULES / "dates.yml").read_text(encoding="utf-8").replace("default_fiscal_calendar: us_federal", "default_fiscal_calendar: us_fed")
    bad = tmp_path / "dates.yml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(RuleError, match=r"dates\.yml:\d+: .*unknown fiscal calendar\(s\): us_fed"):
        load_date_rules(bad)


def test_a_word_added_to_date_openers_makes_may_a_month():
    """`May` alone is a date only after a word of rules/dates.yml date_openers ("in May"); users extend the list."""
    rules = default_rules()
    sentence = "Deliveries are due around May."
    assert find_dates(sentence, None, rules) == []
    extended = rules.model_copy(update={"date_openers": [*rules.date_openers, "around"]})
    assert [r.text for r in find_dates(sentence, None, extended)] == ["May"]
