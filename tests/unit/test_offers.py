"""The job-offer checker: bot/services/offers.py, bot/offer_data.py, the CLI and the dev set."""

from __future__ import annotations

import copy
import io
import json
import random
import re
import string
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.offer_data import LexiconError, load_lexicon, parse_lexicon
from bot.offers_cli import run as run_cli
from bot.offers_eval import DEV_SET, SPLITS, evaluate, read_rows
from bot.offers_eval import run as run_eval
from bot.services.gazetteer import Gazetteer
from bot.services.offers import (
    LANGUAGES,
    Contact,
    Destination,
    Fact,
    Lexicon,
    Pay,
    Verdict,
    check_offer,
    phone_key,
)
from bot.settings import PROJECT_ROOT

SIGNS_YML = PROJECT_ROOT / "data" / "offers" / "signs.yml"
RESPONSES_YML = PROJECT_ROOT / "responses" / "offers.yml"


@pytest.fixture(scope="module")
def lexicon(gazetteer: Gazetteer) -> Lexicon:
    return load_lexicon(gazetteer=gazetteer)


@pytest.fixture(scope="module")
def dev_report(lexicon: Lexicon) -> dict[str, Any]:
    """The evaluation of the whole dev set, computed once for the split tests."""
    return evaluate(lexicon, read_rows())


@pytest.fixture(scope="module")
def raw_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(SIGNS_YML.read_text(encoding="utf-8"))
    return data


def sign_ids(verdict: Verdict) -> set[str]:
    return {h.id for h in verdict.signs}


def assert_quotes_exact(text: str, verdict: Verdict) -> None:
    for hit in (*verdict.signs, *verdict.legit_signs):
        assert hit.quote == text[hit.start:hit.end], hit
        assert hit.quote.strip(), hit
    facts = verdict.facts
    items: list[Pay | Contact | Destination | Fact] = [
        *facts.pay, *facts.contacts, *facts.destinations, *facts.job_types, *facts.travel_visa,
        *facts.fees, *facts.requirements, *facts.urgency]
    for item in items:
        assert item.quote == text[item.start:item.end], item


# --- quotes -------------------------------------------------------------------------------------

OFFERS = [
    "Cần tuyển CSKH làm việc tại Campuchia, lương 1000$/tháng, việc nhẹ, bao ăn ở. "
    "Liên hệ telegram @HR_CS88 hoặc +855 12 345 678",
    "LOWONGAN!!! Admin CS penempatan Kamboja 🇰🇭 gaji 15 juta/bulan, tanpa pengalaman, "
    "tiket dan visa gratis, berangkat pakai visa wisata. Minat japri wa.me/628123456789",
    "Hiring customer service for Sihanoukville\u200b, salary $1,200 per month, no experience "
    "needed, free flight ticket, contact t.me/jobs_kh",
    "รับสมัครแอดมินออนไลน์ ตอบแชทลูกค้า ทำงานที่ปอยเปต รายได้สูง สวัสดิการดี เงินเดือน ฿35,000",
    # Vietnamese in decomposed form (NFD), as some keyboards send it.
    "vie\u0323c nhe\u0323 lu\u031bo\u031bng cao o\u031b\u0309 Campuchia",
    "ລ ະ ວັ ງ ປະກາດຮັບສະໝັກ ພ ະ ນັກງານ ເຂດເສດຖະກິດພິເສດສາມຫລ່ຽມຄຳ ວຽກຕອບແຊັດ",
]


@pytest.mark.parametrize("text", OFFERS)
def test_every_quote_is_an_exact_substring_of_the_users_text(lexicon: Lexicon,
                                                              text: str) -> None:
    verdict = check_offer(text, lexicon)
    assert verdict.signs
    assert_quotes_exact(text, verdict)


def test_quotes_are_exact_on_the_whole_dev_set(lexicon: Lexicon) -> None:
    for row in read_rows():
        assert_quotes_exact(row["text"], check_offer(row["text"], lexicon))


def test_spaced_out_lao_letters_are_still_read(lexicon: Lexicon) -> None:
    text = "ປະກາດຮັບສະໝັກ ພ ະ ນັກງານ ໄປເຮັດວຽກຕອບ ແຊັດ"
    verdict = check_offer(text, lexicon)
    hit = next(h for h in verdict.signs if h.id == "RF03b_online_chat_or_admin_job")
    assert hit.quote == "ວຽກຕອບ ແຊັດ"


# --- each sign fires on its reference wording ---------------------------------------------------

# (sign, verbatim wording from red-flags.md with its [Sxx], or a natural variant where marked)
REFERENCE_WORDING = [
    ("RF01_unrealistic_pay_for_easy_work", "gaji besar dan pekerjaan ringan"),  # [S20]
    ("RF01_unrealistic_pay_for_easy_work", "việc nhẹ lương cao"),  # [S45][S46]
    ("RF01_unrealistic_pay_for_easy_work", "รายได้สูง สวัสดิการดี"),  # [S56][S58]
    ("RF01_unrealistic_pay_for_easy_work", "gaji dolar tanpa pengalaman khusus"),  # [S20]
    ("RF01a_high_pay_promise", "gaji tinggi/fantastis"),  # [S22]
    ("RF01a_high_pay_promise", "online jobs with high income"),  # [S53]
    ("RF01c_easy_work_promise", "kerja santai"),  # natural variant of [S20]
    ("RF01e_free_board_and_lodging", "มีที่พักและอาหารให้"),  # [S57]
    ("RF01e_free_board_and_lodging", "Company-covered accommodation."),  # [S52]
    ("RF02_no_experience_or_qualifications_needed", "không yêu cầu bằng cấp, trình độ"),  # [S45]
    ("RF02_no_experience_or_qualifications_needed", "không đòi hỏi trình độ chuyên môn, ngoại ngữ"),
    ("RF02_no_experience_or_qualifications_needed", "No experience or degree required."),  # [S52]
    ("RF02_no_experience_or_qualifications_needed", "tanpa memerlukan pengalaman kerja"),  # [S30]
    ("RF02_no_experience_or_qualifications_needed", "a simple interview and the typing test"),
    ("RF02_no_experience_or_qualifications_needed", "Syarat pekerjaan ringan"),  # [S22]
    ("RF03c_choice_of_vague_desk_jobs", "customer service atau operator"),  # [S12b]
    ("RF03c_choice_of_vague_desk_jobs", "customer service atau staf administrasi"),  # [S20b]
    ("RF03c_choice_of_vague_desk_jobs", "customer service atau marketing"),  # [S13]
    ("RF03b_online_chat_or_admin_job", "แอดมินออนไลน์ ตอบแชทลูกค้า"),  # [S57]
    ("RF03b_online_chat_or_admin_job", "ວຽກຕອບແຊັດ"),  # [S69]
    ("RF03b_online_chat_or_admin_job", "recruited as chat girls"),  # [S69]
    ("RF03_vague_online_desk_job_title", "Digital Sales and Marketing Executives"),  # [S71]
    ("RF03_vague_online_desk_job_title", "data entry jobs in Thailand"),  # [S71]
    ("RF03_vague_online_desk_job_title", "business process outsourcing (BPO) company"),  # [S31]
    ("RF04b_recruitment_for_a_country_without_an_official_route",
     "เปิดรับแรงงานไปทำงานที่ประเทศออสเตรเลีย"),  # source of dev h18 (DOE: false)
    ("RF05_employer_pays_all_travel", "menanggung semua biaya pemberangkatan"),  # [S22]
    ("RF05_employer_pays_all_travel", "fasilitas tiket dan akomodasi gratis"),  # [S30]
    ("RF05_employer_pays_all_travel", "libreng ticket o libreng pagproseso ng Visa"),  # [S40]
    ("RF05_employer_pays_all_travel", "I didn't need to take out a single cent"),  # [S75]
    ("RF05_employer_pays_all_travel", "hotel bookings along with return air tickets"),  # [S71]
    ("RF05_employer_pays_all_travel", "miễn phí khám sức khỏe, tiền xe đưa ra sân bay"),  # [S49]
    ("RF06_tourist_or_visit_visa_for_work",
     "Proses bekerja menggunakan visa kunjungan/wisata/ziarah"),  # [S22]
    ("RF06_tourist_or_visit_visa_for_work", "work overseas on a tourist visa"),  # [S54]
    ("RF06_tourist_or_visit_visa_for_work", "go to work on a student visa"),  # variant of [S38]
    ("RF07_told_to_lie_or_hide_purpose_at_departure", "fake return flight tickets"),  # [S32]
    ("RF07_told_to_lie_or_hide_purpose_at_departure",
     "instructed them to pretend to be traveling companions"),  # [S32]
    ("RF07_told_to_lie_or_hide_purpose_at_departure", "data-data yang tidak benar"),  # [S14]
    ("RF08_indirect_route_or_irregular_border_crossing",
     "to sneak into Cambodia at night"),  # [S59]
    ("RF08_indirect_route_or_irregular_border_crossing", "เส้นทางธรรมชาติบริเวณ อ.แม่สาย"),  # [S60]
    ("RF08_indirect_route_or_irregular_border_crossing",
     "Ugandans are promised work in Dubai and sent via Thailand to Myanmar"),  # [S08]
    ("RF09_recruiter_not_licensed_or_is_an_individual", "apply through a travel agency"),  # [S38b]
    ("RF09_recruiter_not_licensed_or_is_an_individual", "posing as labor brokers"),  # [S09]
    ("RF10_recruitment_only_via_social_media_or_chat_apps", "recruited via Facebook Messenger"),
    ("RF10_recruitment_only_via_social_media_or_chat_apps",
     "Tawaran pekerjaan biasanya disebarkan melalui media sosial"),  # [S20] (dev set t28)
    ("RF10_recruitment_only_via_social_media_or_chat_apps", "Facebook job postings"),  # dev t41
    ("RF11_pressure_to_depart_fast", "segera berangkat tanpa banyak proses"),  # [S20]
    ("RF11_pressure_to_depart_fast", "xuất cảnh trong vòng 10-15 ngày"),  # [S49]
    ("RF11_pressure_to_depart_fast", "quick deployment to Thailand"),  # [S37]
    ("RF12_no_written_contract_or_unclear_terms", "không có hợp đồng"),  # [S45]
    ("RF12_no_written_contract_or_unclear_terms", "Kontrak kerja tidak ada dan tidak jelas"),
    ("RF13_upfront_or_irregular_fees", "Memungut biaya pendaftaran"),  # [S22]
    ("RF13_upfront_or_irregular_fees", "brokerage commissions charged to workers"),  # [S50]
    ("RF14_early_request_for_passport_or_personal_data", "Meminta data pribadi secara langsung"),
    ("RF15_offer_via_friend_relative_or_returnee", "recruited by a former colleague"),  # [S34]
    ("RF16_polished_but_unverifiable_company_or_impersonation",
     "ที่จดทะเบียนถูกต้องตามกฎหมายกับกรมการจัดหางาน"),  # [S58]
    ("RF17_workplace_or_employer_vague_or_changes", "an undisclosed Chinese company"),  # [S36]
    ("RF18_casino_sez_or_gambling_employer", "receptionists at casinos, hotels"),  # [S59]
    ("RF18b_special_economic_zone", "ເຂດເສດຖະກິດພິເສດສາມຫລ່ຽມຄຳ"),  # [S69]
    ("RF19_openly_illegal_work_offered", "menawarkan bekerja sebagai scammer"),  # [S17]
    ("RF20_targets_young_educated_it_or_english_speakers", "fast typing skills, fluent English"),
    # round 4: general signs behind the heldout3 misses, each a wording from its source
    ("RF05_employer_pays_all_travel", "salaries from R15 000 per month, paid flights"),  # dev k08
    ("RF05_employer_pays_all_travel", "được công ty lo hết máy bay và chỗ ở"),  # dev k19
    ("RF05_employer_pays_all_travel", "biaya tiket pesawat semua ditangung perusahaan"),  # dev k10
    ("RF02_no_experience_or_qualifications_needed", "รับสมัครแรงงานไม่ต้องมีเอกสาร"),  # dev k29
    ("RF02_no_experience_or_qualifications_needed", "walang kailangang PRC license"),  # dev k21
    ("RF02_no_experience_or_qualifications_needed", "no documents required"),  # variant
    ("RF13_upfront_or_irregular_fees", "The agent asked him to deposit 800,000 rupees"),  # dev k04
    ("RF13_upfront_or_irregular_fees", "ម្នាក់ៗអស់រាប់ពាន់ដុល្លា"),  # dev k33
    ("RF13_upfront_or_irregular_fees", "ប្រមូលថវិកាពីប្រជាពលរដ្ឋ"),  # MoLVT (npn.news)
    ("RF09_recruiter_not_licensed_or_is_an_individual", "ตัวแทนของบริษัทรับจัดทำวีซ่า"),  # dev k30
    ("RF09_recruiter_not_licensed_or_is_an_individual", "a visa agency recruiting workers"),
    ("RF10_recruitment_only_via_social_media_or_chat_apps",
     "gamit ang Facebook at ilan pang social media networking sites"),  # dev k22
    ("RF10_recruitment_only_via_social_media_or_chat_apps", "di grup Facebook"),  # dev k10
    ("RF15_offer_via_friend_relative_or_returnee",
     "rekan ayahnya yang menawari pekerjaan"),  # dev k13
    ("RF03_vague_online_desk_job_title", "làm đánh máy vi tính"),  # dev k19
    ("RF01a_high_pay_promise", "gajinya juga banyak bisa mencapai 700USD"),  # dev k10
    ("RF21_offer_described_as_a_lure_or_deception", "lured through fake job ads"),  # [S05]
    ("RF21_offer_described_as_a_lure_or_deception",
     "under the pretence of offering them real jobs"),  # [S01]
    ("RF21_offer_described_as_a_lure_or_deception", "ແຮງງານລາວຖືກຕົວະ"),  # source of dev n09
    ("RF21_offer_described_as_a_lure_or_deception", "โดยอ้างว่ามีรายได้ดี"),  # source of dev k32
    ("RF21_offer_described_as_a_lure_or_deception",
     "kung peke ang trabahong alok sa internet"),  # POEA (philstar, 2015)
    # round 5: a job or pay that was promised or advertised (victims' and reporters' accounts)
    ("RF21_offer_described_as_a_lure_or_deception",
     "Ugandans are promised work in Dubai"),  # [S08] via red-flags.md §1 RF08
    ("RF21_offer_described_as_a_lure_or_deception",
     "Mereka pun menjanjikan pekerjaan yang layak"),  # source of dev q31
    ("RF21_offer_described_as_a_lure_or_deception",
     "Quảng cáo mức lương khởi điểm khi sang đó"),  # source of dev q05
    ("RF21_offer_described_as_a_lure_or_deception", "nangako ng trabaho sa abroad"),  # draft
    ("RF21_offer_described_as_a_lure_or_deception", "นายหน้าสัญญาว่าจะได้งานดี"),  # draft
    ("RF21_offer_described_as_a_lure_or_deception", "ນາຍໜ້າສັນຍາວ່າຈະໄດ້ວຽກດີ"),  # draft
    ("RF21_offer_described_as_a_lure_or_deception", "មេខ្យល់សន្យាថានឹងផ្តល់ការងារ"),  # draft
    ("RF21_offer_described_as_a_lure_or_deception", "အလုပ်ရမယ်လို့ ကတိပေးခဲ့"),  # draft
    # round 6: kinds of text that the blind sets' first-time misses showed, each sourced
    ("RF22_forced_work_or_scamming_reported",
     "found himself forced to work for a criminal syndicate as a scammer"),  # mothership 2022
    ("RF22_forced_work_or_scamming_reported",
     "were trafficked and forced to work in sophisticated Chinese-run online scams"),  # TRF
    ("RF21_offer_described_as_a_lure_or_deception",
     "We thought it was real work but it became a living nightmare"),  # TRF (rightscorridor)
    ("RF10b_job_message_spread_in_bulk",
     "fake job offers are being circulated among unsuspecting candidates on WhatsApp"),
    ("RF10b_job_message_spread_in_bulk", "a spam text message offering a job"),  # [S38]
    ("RF03_vague_online_desk_job_title", "high wages for tech jobs; tech support"),  # AP 2022
    ("RF06_tourist_or_visit_visa_for_work",
     "The Filipino victims entered Cambodia as tourists"),  # DMW via Filipino Times, 2023-10-12
    # round 7: the kinds of the sixth blind set's misses, each sourced in signs.yml
    ("RF23_paid_but_no_job_or_never_sent",
     "mereka tak kunjung diberangkatkan"),  # iNews 2023
    ("RF23_paid_but_no_job_or_never_sent",
     "GLAA officers have revoked the licence of Adept and Agile"),  # GLAA, 2023-03-13
    ("RF24_selected_without_applying_or_visiting_employer",
     "informs the recipient of her selection as staff nurse"),  # POEA via KAKAMMPI, 2012
    ("RF24_selected_without_applying_or_visiting_employer",
     "stating that they have been selected for a nursing position"),  # POEA, 2014-07-01
    ("RF25_task_or_order_payment_scheme",
     "work doing things like optimization or product boosting online"),  # FTC, 2025-08
    ("RF25_task_or_order_payment_scheme",
     "tuyển cộng tác viên thanh toán đơn hàng online"),  # suckhoedoisong, 2022-06-11
    ("RF26_documents_or_pay_withheld", "Begitu tiba, paspor mereka langsung disita"),  # [S20]
    ("RF26_documents_or_pay_withheld", "Mobile phones and passports are confiscated"),  # [S78]
]


@pytest.mark.parametrize(("sign", "wording"), REFERENCE_WORDING,
                         ids=[f"{s[:4]}-{i}" for i, (s, _) in enumerate(REFERENCE_WORDING)])
def test_each_sign_fires_on_its_reference_wording(lexicon: Lexicon, sign: str,
                                                  wording: str) -> None:
    verdict = check_offer(wording, lexicon)
    assert sign in sign_ids(verdict), (wording, [(h.id, h.quote) for h in verdict.signs])
    assert_quotes_exact(wording, verdict)


# Round 5: ordinary local ads (written as probes, not sourced rows) that the fourth round's wider
# wording made medium: a desk job with pay and a chat-app contact at home is no lure by itself.
ORDINARY_LOCAL_ADS = [
    "Lowongan admin di Jakarta, gaji bisa mencapai 8 juta, hubungi HRD",  # "can reach" (RF01a)
    "We are hiring an office assistant in Cebu City. Salary can reach PHP 25,000 with "
    "allowances. Send your resume to hr@example.com",  # "can reach" (RF01a)
    "บริษัทชักชวนผู้สนใจสมัครงานตำแหน่งพนักงานธุรการ ประจำสำนักงานกรุงเทพฯ เงินเดือน 15,000 บาท",
    "Dibutuhkan staff admin kantor di Surabaya, gaji 5 juta per bulan, kirim CV via WhatsApp "
    "081234567890",
    "Hiring: Customer service representative in Makati, salary PHP 20,000 per month, message us "
    "on Viber 09171234567",
    "Tuyển nhân viên văn phòng tại Hà Nội, lương 10 triệu/tháng, liên hệ Zalo 0912345678",
    "รับสมัครแอดมินเพจ ทำงานที่เชียงใหม่ เงินเดือน 12,000 บาท ติดต่อไลน์ @shopcm",
    "Lowongan kerja operator dan admin gudang di Bekasi, gaji UMR, melamar lewat grup Facebook "
    "Loker Bekasi",
    "Cần tuyển nhân viên chăm sóc khách hàng tại TP.HCM, thu nhập có thể lên tới 15 triệu, "
    "nhắn tin Facebook",
    "Hiring data encoder in Pasig, salary up to PHP 25,000, message us on Messenger",  # "up to"
    "รับสมัครพนักงานขายหน้าร้าน ที่ขอนแก่น เงินเดือนสูงสุด 18,000 บาท ติดต่อไลน์",  # maximum pay
    "Công việc hứa hẹn thu nhập ổn định, tuyển nhân viên kho tại Bình Dương, lương 8 triệu, "
    "liên hệ Zalo",  # "hứa hẹn" as "promising", not "promised"
    "Join our team in Quezon City! A promising job with a stable salary of PHP 22,000. Apply "
    "via our Facebook page",  # "promising", not "promised"
    "Kami menjanjikan gaji yang kompetitif untuk posisi staff admin di Bandung, kirim CV via "
    "WhatsApp",  # an employer's own promise, not an account of one
]


@pytest.mark.parametrize("text", ORDINARY_LOCAL_ADS,
                         ids=[f"local-{i}" for i in range(len(ORDINARY_LOCAL_ADS))])
def test_ordinary_local_desk_ads_are_low(lexicon: Lexicon, text: str) -> None:
    verdict = check_offer(text, lexicon)
    assert verdict.risk == "low", (verdict.score, [(h.id, h.quote) for h in verdict.signs])


@pytest.mark.parametrize("text", [
    "Lowongan admin di Kamboja, gaji tinggi, hubungi via WhatsApp 081234567890",  # abroad, lure
    "Customer service job, high salary, no experience needed, message us on Telegram",
    "ชักชวนคนไทยไปทำงานต่างประเทศ เงินเดือนสูง",  # inducing to go abroad to work
    # round 5: an account of what the ad promised (dev q05, q31: victims' accounts)
    "Quảng cáo mức lương khởi điểm khi sang đó làm việc được 1.000 USD/tháng",
    "Kami melihat iklan lowongan di Facebook. Mereka menjanjikan pekerjaan yang layak",
])
def test_a_desk_job_with_a_real_lure_stays_risky(lexicon: Lexicon, text: str) -> None:
    assert check_offer(text, lexicon).risk in {"medium", "high"}


@pytest.mark.parametrize(("text", "quote"), [
    # the source of dev q43: the origin's labour department recruits, in the scam-hub country
    ("The Vientiane provincial Labour and Social Welfare Department invited young men to apply "
     "for jobs as farm workers in the Republic of Korea. Applicants can register at the "
     "Department.", "provincial Labour and Social Welfare Department"),
    ("Pendaftaran kerja ke Jepang dibuka di Disnaker Kabupaten Cilacap", "Disnaker"),
    ("สำนักงานจัดหางานจังหวัดอุดรธานี รับสมัครแรงงานไปทำงานเกาหลี", "สำนักงานจัดหางานจังหวัด"),
    ("ພະແນກແຮງງານ ແລະ ສະຫວັດດີການສັງຄົມ ແຂວງ ວຽງຈັນ ຮັບສະໝັກແຮງງານໄປເຮັດວຽກ ສ.ເກົາຫຼີ",
     "ພະແນກແຮງງານ ແລະ ສະຫວັດດີການສັງຄົມ"),
])
def test_a_labour_department_of_the_origin_is_an_official_route(lexicon: Lexicon, text: str,
                                                                quote: str) -> None:
    verdict = check_offer(text, lexicon)
    assert "L02_government_programme" in {h.id for h in verdict.legit_signs}
    assert quote in [h.quote for h in verdict.legit_signs]
    assert verdict.risk == "low", (verdict.score, [(h.id, h.quote) for h in verdict.signs])


def test_siem_reap_is_a_place_in_cambodia_not_siam(lexicon: Lexicon) -> None:
    # Khmer "សៀម" (Siam, an old name for Thailand) inside "សៀមរាប" (Siem Reap): the longest
    # known name wins, so a Siem Reap desk job with a Telegram contact is a job at home.
    text = "ជ្រើសរើសបុគ្គលិកសេវាអតិថិជន ធ្វើការនៅខេត្តសៀមរាប ប្រាក់ខែ 300 ដុល្លារ ទាក់ទង Telegram @srjobs"
    verdict = check_offer(text, lexicon)
    assert [(d.country, d.place) for d in verdict.facts.destinations] == [("KH", "siem_reap")]
    assert verdict.risk == "low", (verdict.score, [(h.id, h.quote) for h in verdict.signs])
    for spelling in ("Siem Reap", "เสียมราฐ", "Xiêm Riệp"):
        found = check_offer(f"Job in {spelling}, salary 300 USD", lexicon).facts.destinations
        assert [(d.country, d.place) for d in found] == [("KH", "siem_reap")], spelling
    # a language or nationality that holds a country's name is no destination
    assert check_offer("ត្រូវការបុគ្គលិកចេះភាសាសៀម ធ្វើការ", lexicon).facts.destinations == []
    siam = check_offer("ទៅធ្វើការនៅសៀម ប្រាក់ខែខ្ពស់", lexicon).facts.destinations
    assert [d.country for d in siam] == ["TH"]


# Round 6: the kinds of text behind the first-time misses of heldout3, heldout4 and heldout5,
# each in several languages (written probes, not dev rows). Every one was low or unknown before.
ROUND6_KINDS = {
    "told_they_would_work": [
        "The workers were told they would work as customer service agents in Bangkok.",
        "She was assured that she would be working as a receptionist at a hotel in Malaysia.",
        "Para korban diberitahu bahwa mereka akan bekerja sebagai admin di Thailand.",
        "Ipinaalam sa kanila na magtatrabaho sila bilang customer service sa Thailand.",
        "Các nạn nhân được cho biết sẽ làm nhân viên văn phòng tại Campuchia.",
        "ผู้เสียหายได้รับแจ้งว่าจะได้ทำงานเป็นพนักงานบริการลูกค้าที่ประเทศไทย",
        "ພວກເຂົາຖືກບອກວ່າຈະໄດ້ເຮັດວຽກເປັນພະນັກງານບໍລິການລູກຄ້າ",
        "ពួកគេត្រូវបានគេប្រាប់ថានឹងធ្វើការជាបុគ្គលិកផ្នែកបម្រើអតិថិជន",
        "သူတို့ကို ဖောက်သည်ဝန်ဆောင်မှုဝန်ထမ်းအဖြစ် အလုပ်လုပ်ရမယ်လို့ ပြောခဲ့တယ်",
    ],
    "forced_to_work_or_scam": [
        "The Filipinos were forced to work in an online scamming facility near the border.",
        "Para WNI dipaksa bekerja sebagai operator setelah tergiur lowongan kerja.",
        "Napilitan silang magtrabaho sa isang scam hub matapos alukin ng trabaho.",
        "Họ bị ép làm việc lừa đảo qua mạng sau khi nhận lời làm việc ở nước ngoài.",
        "แรงงานไทยถูกบังคับให้ทำงานหลอกลวงทางออนไลน์หลังสมัครงานผ่านเฟซบุ๊ก",
        "ແຮງງານລາວຖືກບັງຄັບໃຫ້ເຮັດວຽກຕົ້ມຕຸ໋ນທາງອອນລາຍ",
        "ពលករត្រូវបានបង្ខំឱ្យធ្វើការឆបោកតាមអនឡាញ",
        "လုပ်သားများကို အွန်လိုင်းလိမ်လည်မှုလုပ်ငန်းတွင် အတင်းအကျပ်ခိုင်းစေခဲ့သည်",
    ],
    "entered_as_tourists": [
        "The victims entered Cambodia as tourists and were then taken to a compound.",
        "Mereka masuk ke Kamboja sebagai turis lalu dibawa ke perusahaan online.",
        "Ang mga biktima ay pumasok sa Cambodia bilang mga turista.",
        "Họ nhập cảnh Campuchia theo diện du lịch rồi bị đưa vào công ty.",
        "พวกเขาเดินทางเข้าประเทศในฐานะนักท่องเที่ยวก่อนถูกพาข้ามแดน",
        "ພວກເຂົາເດີນທາງເຂົ້າໄປໃນນາມນັກທ່ອງທ່ຽວ",
        "ពួកគេបានចូលប្រទេសកម្ពុជាក្នុងនាមជាទេសចរ",
        "သူတို့ဟာ ခရီးသွားအဖြစ် ထိုင်းကို ဝင်ရောက်ခဲ့ကြတယ်",
    ],
    "job_message_spread_in_bulk": [
        "A message circulating on WhatsApp announces supermarket jobs at 1,250 euros a month.",
        "Beredar pesan berantai di WhatsApp tentang lowongan kerja dengan gaji 10 juta.",
        "Kumakalat sa Facebook ang job offer na may sahod na 60,000 pesos kada buwan.",
        "Tin tuyển dụng lan truyền trên mạng xã hội hứa hẹn lương 30 triệu/tháng.",
        "ข้อความรับสมัครงานที่ส่งต่อกันในไลน์ อ้างรายได้เดือนละ 50,000 บาท",
        "ຂໍ້ຄວາມຮັບສະໝັກວຽກທີ່ແຊຣ໌ກັນໃນເຟສບຸກ ເງິນເດືອນ 10,000,000 ກີບ",
        "សារជ្រើសរើសបុគ្គលិកដែលចែករំលែកគ្នាលើហ្វេសប៊ុក ប្រាក់ខែ 1000 ដុល្លារ",
    ],
    "thought_it_was_a_real_job": [
        "We thought it was a real call centre job, but it became a nightmare.",
        "She believed she would work as a waitress in Dubai.",
        "Mereka mengira akan bekerja di restoran di Malaysia.",
        "Akala nila ay magtatrabaho sila bilang customer service sa Thailand.",
        "Anh ta tưởng sẽ được làm nhân viên bán hàng ở Thái Lan.",
        "เธอคิดว่าจะได้ทำงานเป็นพนักงานร้านอาหารที่มาเลเซีย",
    ],
    "warning_against_job_offers": [
        "The embassy warned citizens against accepting job offers in Cambodia advertised on "
        "Telegram.",
        "KBRI mengimbau WNI agar tidak tergiur tawaran kerja di Kamboja yang disebar lewat media "
        "sosial.",
        "Công an cảnh báo thủ đoạn tuyển người đi làm ở nước ngoài qua mạng xã hội.",
        "กรมการจัดหางานเตือนประชาชนอย่าหลงเชื่อประกาศรับสมัครงานต่างประเทศทางโซเชียลมีเดีย",
        "ເຈົ້າໜ້າທີ່ເຕືອນປະຊາຊົນບໍ່ໃຫ້ເຊື່ອການປະກາດຮັບສະໝັກວຽກຢູ່ຕ່າງປະເທດທາງເຟສບຸກ",
    ],
    "victims_arrests_illegal_recruitment": [
        "Police arrested a recruiter who sent 12 young men to Myawaddy with the promise of office "
        "jobs.",
        "Polisi menangkap perekrut yang mengirim warga ke Kamboja tanpa prosedur resmi.",
        "Ayon sa DMW, ang mga biktima ay na-recruit sa Facebook at dinala sa Myanmar.",
        "ตำรวจจับกุมนายหน้าที่ชักชวนคนไทยไปทำงานที่ปอยเปต",
        "ប៉ូលិសបានចាប់ខ្លួនមេខ្យល់ដែលនាំពលករទៅធ្វើការនៅប្រទេសថៃដោយខុសច្បាប់",
        "The recruiter promised the women jobs as waitresses in Malaysia but they were sold.",
    ],
    "moved_on_to_another_country": [
        "Recruiters offered them work as game testers in Dubai; they were later moved to Myanmar.",
        "Two Ugandan graduates were recruited for jobs in Thailand but were taken across the "
        "border.",
        "ထိုင်းနိုင်ငံတွင် အလုပ်ကောင်းရမည်ဟု ပြောပြီး ခေါ်ဆောင်သွားခဲ့သည်",
    ],
    "tech_support_desk_job_abroad": [
        "Job offer: tech support representative in Thailand, salary USD 1,000, message us on "
        "Telegram.",
        "Tuyển nhân viên hỗ trợ kỹ thuật làm việc tại Campuchia, lương 25 triệu, liên hệ Zalo.",
        "รับสมัครพนักงานซัพพอร์ตไอทีทำงานที่กัมพูชา เงินเดือน 35,000 บาท ติดต่อไลน์",
    ],
}


@pytest.mark.parametrize("text", [
    "Employees cannot be forced to work overtime without pay.",
    "Workers must not be forced to work more than 48 hours a week under the Labour Law.",
    "Employers who forced workers to work without pay were fined by the Labour Department.",
    "We were told that the interview will be held on Monday at our Makati office.",
    "Applicants will be informed by e-mail whether they will be hired. Salary 8 juta, Jakarta.",
    "Kandidat akan diberitahu melalui email apakah akan dipekerjakan. Gaji 7 juta, admin Bandung.",
    "Ứng viên sẽ được thông báo kết quả qua email. Lương 12 triệu, làm việc tại Đà Nẵng.",
    "ผู้สมัครจะได้รับแจ้งผลทางอีเมล เงินเดือน 18,000 บาท ทำงานที่เชียงใหม่",
    "Hotel front desk staff to welcome tourists in Bali, salary 5 juta.",
    "รับสมัครพนักงานต้อนรับนักท่องเที่ยวที่ภูเก็ต เงินเดือน 15,000 บาท",
    "Lowongan ini tersebar di beberapa kota: Jakarta, Bandung, Surabaya. Gaji UMR, kirim CV.",
    "Thông tin tuyển dụng được chia sẻ trên fanpage công ty, lương 9 triệu, làm tại Hà Nội.",
    "Hiring IT support technician for our Cebu office, salary PHP 25,000, send your CV.",
    "DOLE reminds jobseekers that job offers circulating on social media should be verified "
    "with the DMW before applying.",
])
def test_round6_wording_in_ordinary_texts_stays_low(lexicon: Lexicon, text: str) -> None:
    verdict = check_offer(text, lexicon)
    assert verdict.risk in {"low", "unknown"}, (verdict.score,
                                                [(h.id, h.quote) for h in verdict.signs])


# Round 7: the kinds of text behind the misses of heldout6 (after the sixth round), each in
# several languages (written probes in other reporters' words, not dev rows). Each was low on
# main before this round.
ROUND7_KINDS = {
    # an official body as the reporter or warner does not make the text an official route
    "official_body_reports_the_fraud": [
        "Ayon sa DMW, nangako ang pekeng recruiter ng trabaho sa Japan at naningil ng placement "
        "fee sa mga aplikante.",
        "The Ministry of Labour said the agency lured job seekers with promises of factory work "
        "in Japan and took their money.",
        "Theo Sở Lao động - Thương binh và Xã hội, nhiều người đã bị lừa nộp tiền để đi làm việc "
        "ở Nhật Bản nhưng không được đưa đi.",
        "យោងតាមក្រសួងការងារ ជនខិលខូចបានបោកប្រាស់ពលករថានឹងបញ្ជូនទៅធ្វើការនៅកូរ៉េ "
        "ហើយប្រមូលប្រាក់ពីពួកគេ",
        "Kepala Disnaker mengatakan puluhan warga tertipu tawaran kerja ke Australia dan sudah "
        "menyetor uang jutaan rupiah.",
    ],
    "paid_but_no_job_or_never_sent": [
        "We each paid the agent 3,000 dollars last year and nobody has been sent to Korea.",
        "The agency collected fees from more than 100 workers but never deployed them.",
        "Sudah setor Rp 40 juta ke sponsor untuk kerja di Taiwan, tapi sampai sekarang belum "
        "juga diberangkatkan.",
        "Nagbayad kami ng P80,000 sa ahensya para sa trabaho sa Dubai pero hanggang ngayon hindi "
        "pa rin kami na-deploy.",
        "Anh T. đã nộp 150 triệu đồng cho công ty để đi Hàn Quốc nhưng hơn một năm vẫn chưa "
        "được xuất cảnh.",
        "จ่ายเงินให้นายหน้าไปแล้ว 80,000 บาท แต่ยังไม่ได้ไปทำงานที่เกาหลีเลย",
        "ຈ່າຍເງິນໃຫ້ນາຍໜ້າແລ້ວ 10 ລ້ານກີບ ແຕ່ຍັງບໍ່ໄດ້ໄປເຮັດວຽກຢູ່ໄທ",
        "Its licence was cancelled after complaints that workers paid for jobs in Malaysia.",
    ],
    "selected_without_applying": [
        "Dear applicant, you have been selected for the position of welder in Canada. Please pay "
        "the medical fee of $250 to confirm your slot.",
        "Nakatanggap ako ng email na napili raw ako bilang caregiver sa Canada at kailangan kong "
        "magbayad ng P4,500 para sa medical.",
        "Selamat! Anda terpilih untuk bekerja di perusahaan kami di Jepang. Silakan transfer "
        "biaya administrasi Rp 2 juta.",
        "ยินดีด้วย คุณได้รับการคัดเลือกให้ไปทำงานที่ออสเตรเลีย กรุณาโอนค่าดำเนินการ 10,000 บาท",
        "អ្នកត្រូវបានជ្រើសរើសឲ្យទៅធ្វើការនៅប្រទេសជប៉ុន សូមបង់ថ្លៃចុះឈ្មោះ ២០០ ដុល្លារ",
    ],
    "task_or_order_payment": [
        "Part-time job from home: like YouTube videos and earn $5 per task. Top up your account "
        "to unlock higher commission tasks.",
        "Lowongan kerja paruh waktu: cukup like dan follow akun, dibayar Rp 50 ribu per tugas, "
        "deposit dulu untuk membuka misi berikutnya.",
        "Tuyển cộng tác viên online làm tại nhà, chỉ cần đặt đơn hàng trên sàn và nhận hoa hồng "
        "15% mỗi đơn.",
        "งานออนไลน์ทำที่บ้าน กดไลก์สินค้าได้เงินวันละ 500 บาท ต้องเติมเงินก่อนเพื่อทำภารกิจต่อ",
        "ວຽກອອນລາຍ ກົດໄລວິດີໂອ ໄດ້ເງິນມື້ລະ 100,000 ກີບ ຕ້ອງໂອນເງິນກ່ອນເພື່ອຮັບພາລະກິດ",
        "Kikita ka ng P500 kada araw sa pag-like ng mga video. Magdeposito muna ng P1,000 para "
        "ma-unlock ang susunod na task.",
    ],
}


KINDS = {**ROUND6_KINDS, **ROUND7_KINDS}


@pytest.mark.parametrize(("kind", "text"), [(k, t) for k, texts in KINDS.items() for t in texts],
                         ids=[f"{k}-{i}" for k, texts in KINDS.items()
                              for i in range(len(texts))])
def test_kinds_of_first_time_misses_are_risky_in_every_language(lexicon: Lexicon, kind: str,
                                                                text: str) -> None:
    # Round 6 and round 7 kinds (ROUND6_KINDS, ROUND7_KINDS)
    verdict = check_offer(text, lexicon)
    assert verdict.risk in {"medium", "high"}, (kind, verdict.score,
                                                 [(h.id, h.quote) for h in verdict.signs])
    assert_quotes_exact(text, verdict)


def test_an_official_body_named_as_the_reporter_is_no_official_route(lexicon: Lexicon) -> None:
    # Without the reporting frames, "POEA" and "Ministry of Labour" cancelled the warning signs
    # (heldout6 sa24, sb35 were low); a programme named outside such a frame still counts.
    for text in ("Ayon sa POEA, peke ang trabahong alok sa Dubai para sa mga household "
                 "service workers.",
                 "The Ministry of Labour said two recruitment agencies took money from workers "
                 "and did not send them overseas."):
        verdict = check_offer(text, lexicon)
        assert verdict.legit_signs == [], [(h.id, h.quote) for h in verdict.legit_signs]
        assert verdict.risk in {"medium", "high"}, verdict.score
    programme = check_offer("Ayon sa DOLE, bukas na ang pagpaparehistro para sa EPS sa Korea.",
                            lexicon)
    assert [h.quote for h in programme.legit_signs] == ["EPS"]


@pytest.mark.parametrize("text", [
    # ordinary local jobs: free transport to work, a factory in an SEZ, interview invitations
    "Factory operators wanted in Penang. Basic salary RM1,700, free transport from Butterworth "
    "and hostel provided. Apply at our HR office.",
    "For starters, newly recruited factory operators get free lunches. The free transport and "
    "housing, plus guaranteed overtime, are a big help.",
    "Dibutuhkan operator produksi pabrik di Cikarang, gaji UMK, antar jemput gratis, mess "
    "disediakan. Kirim lamaran ke HRD.",
    "Công ty may tại Bình Dương tuyển công nhân, lương 8 triệu, có xe đưa đón miễn phí.",
    "รับสมัครพนักงานฝ่ายผลิต นิคมอุตสาหกรรมอมตะนคร มีรถรับส่งฟรี เงินเดือน 12,000 บาท",
    "The Thilawa Special Economic Zone factories are hiring machine operators and office staff; "
    "apply at the zone's HR centre.",
    "រោងចក្រកាត់ដេរនៅតំបន់សេដ្ឋកិច្ចពិសេសភ្នំពេញ ត្រូវការកម្មករ ប្រាក់ខែ ២០៨ ដុល្លារ",
    "Only shortlisted applicants will be contacted for an interview. Send your CV for the "
    "accountant position in Jakarta.",
    "Ứng viên trúng tuyển sẽ được thông báo qua email. Vị trí kế toán tại Hà Nội.",
    # job fairs and programme notices in which an official body speaks of its own programme
    "The National Employment Agency will hold a job fair at Koh Pich with more than 100 "
    "companies from the special economic zones offering factory and office jobs.",
    "Ayon sa DOLE, may job fair sa Cebu City sa Biyernes na may mahigit 3,000 trabaho mula sa "
    "mga lisensyadong ahensya.",
    "Menurut Disnaker, bursa kerja tahun ini diikuti 50 perusahaan dengan 2.000 lowongan.",
    "DMW reminded applicants that Germany's nurses programme under the government-to-government "
    "agreement charges no placement fee, and warned against brokers.",
    "BP2MI mengingatkan calon pekerja migran agar mendaftar program G to G Korea melalui "
    "SIAPkerja dan tidak melalui calo.",
    "Tuyển cộng tác viên bán hàng tại cửa hàng ở Đà Nẵng, hưởng hoa hồng theo doanh số.",
])
def test_round7_wording_in_ordinary_texts_stays_low(lexicon: Lexicon, text: str) -> None:
    verdict = check_offer(text, lexicon)
    assert verdict.risk in {"low", "unknown"}, (verdict.score,
                                                [(h.id, h.quote) for h in verdict.signs])


@pytest.mark.parametrize("text", [
    # an official programme that warns against brokers (not against offers) stays an official
    # route: the warning wording needs offers, ads or posts as its object
    "กรมการจัดหางานเปิดรับสมัครคนหางานไปทำงานเกาหลีระบบ EPS สมัครได้ที่สำนักงานจัดหางานจังหวัด "
    "ขออย่าหลงเชื่อผู้ที่อ้างว่าช่วยให้ได้ไปทำงาน",
    "The DMW announces job orders for nurses in Germany under the government-to-government "
    "programme. Applicants are warned against dealing with individuals who ask for fees.",
    "Trung tâm Lao động ngoài nước thông báo tuyển lao động đi Hàn Quốc theo chương trình EPS; "
    "cảnh báo người lao động không tin vào các đối tượng môi giới.",
    "ក្រសួងការងារប្រកាសជ្រើសរើសពលករទៅធ្វើការនៅកូរ៉េ តាមប្រព័ន្ធ EPS ព្រមានពលរដ្ឋកុំជឿមេខ្យល់",
    "Victims of illegal recruitment may file a complaint at the DMW. Licensed agencies are "
    "listed at dmw.gov.ph.",
])
def test_an_official_programme_that_warns_against_brokers_stays_low(lexicon: Lexicon,
                                                                    text: str) -> None:
    verdict = check_offer(text, lexicon)
    assert verdict.risk in {"low", "unknown"}, (verdict.score,
                                                [(h.id, h.quote) for h in verdict.signs])


# An ordinary posting on a job board (the source of heldout5 r21: BongThom, Phnom Penh, USD 800)
# and a scam ad that borrows some of a posting's terms.
POSTING = ("Project Officer\n- Schedule: Full-time\n- Salary: $800 Based on Experience\n"
           "Work Schedule: Full-time, Monday to Saturday, 8:00 AM - 5:00 PM\n"
           "Work Location: Phnom Penh\nSalary: Starting salary of USD 800/month during a "
           "three-month probation period.")


def test_an_ordinary_job_posting_is_a_legit_sign(lexicon: Lexicon) -> None:
    verdict = check_offer(POSTING, lexicon)
    assert "L07_ordinary_job_posting" in {h.id for h in verdict.legit_signs}
    assert verdict.risk == "low", (verdict.score, [(h.id, h.quote) for h in verdict.signs])
    for text in (
        "Lowongan Staff IT di Jakarta. Tanggung jawab: jaringan. Minimal S1. Gaji sesuai "
        "pengalaman. Kirim CV ke hr@example.co.id",
        "Tuyển kế toán tại Hà Nội. Mô tả công việc: sổ sách. Lương thỏa thuận, thử việc 2 tháng.",
        "รับสมัครเจ้าหน้าที่ธุรการ เงินเดือนตามประสบการณ์ ทำงานจันทร์-ศุกร์ ทดลองงาน 119 วัน",
    ):
        legit = {h.id for h in check_offer(text, lexicon).legit_signs}
        assert "L07_ordinary_job_posting" in legit, text


@pytest.mark.parametrize("text", [
    # one or two posting terms are easy to borrow: no legit sign
    "Customer service job in Phnom Penh, $1,000/month, probation 1 month, message Telegram",
    "Tuyển nhân viên văn phòng tại Campuchia, lương 25 triệu, thử việc 1 tháng, bao ăn ở",
])
def test_one_or_two_posting_terms_are_no_legit_sign(lexicon: Lexicon, text: str) -> None:
    verdict = check_offer(text, lexicon)
    assert "L07_ordinary_job_posting" not in {h.id for h in verdict.legit_signs}
    assert verdict.risk in {"medium", "high"}


@pytest.mark.parametrize("text", [
    "Customer Service Representative, Bangkok. Salary USD 1,500. Monday to Saturday 9am-6pm. "
    "Probation 1 month. Responsibilities: answer chats. Free flight and accommodation. Contact "
    "Telegram @hr_bkk",
    "Data entry job in Phnom Penh, $1,000/month, Mon-Sat 8am-5pm, probation 1 month, send your "
    "CV to hr.asia@gmail.com",
    "Lowongan customer service di Kamboja, gaji 15 juta, senin-sabtu, masa percobaan 1 bulan, "
    "kirim CV via WhatsApp",
])
def test_a_scam_ad_shaped_like_a_posting_stays_risky(lexicon: Lexicon, text: str) -> None:
    verdict = check_offer(text, lexicon)
    assert "L07_ordinary_job_posting" in {h.id for h in verdict.legit_signs}
    assert verdict.risk == "high", (verdict.score, [(h.id, h.quote) for h in verdict.signs])


def test_every_pattern_sign_is_covered_by_a_reference_wording(lexicon: Lexicon) -> None:
    covered = {sign for sign, _ in REFERENCE_WORDING}
    pattern_signs = {r.id for r in lexicon.signs if r.patterns}
    assert pattern_signs - covered == set()


def test_computed_signs(lexicon: Lexicon) -> None:
    verdict = check_offer("Customer service job in Poipet, salary $1,500 a month, contact "
                          "@hr_poipet. Transit via Mae Sot.", lexicon)
    ids = sign_ids(verdict)
    assert {"RF04_high_risk_destination", "RF01b_pay_above_threshold",
            "RF10_recruitment_only_via_social_media_or_chat_apps",
            "RF08b_transit_or_border_town"} <= ids
    destination = next(d for d in verdict.facts.destinations if d.place == "poipet")
    assert destination.country == "KH"


def test_a_job_sign_in_a_bait_country_is_a_sign(lexicon: Lexicon) -> None:
    desk = check_offer("Customer service job in Thailand, salary 25,000 baht a month", lexicon,
                       origin_country="ID")
    hit = next(h for h in desk.signs if h.id == "RF17b_job_in_bait_country")
    assert hit.quote == "Thailand"
    assert desk.risk in ("medium", "high")
    factory = check_offer("Factory job in Thailand, salary 25,000 baht a month", lexicon,
                          origin_country="MM")
    assert "RF17b_job_in_bait_country" not in sign_ids(factory)
    home = check_offer("Customer service job in Thailand, salary 25,000 baht a month", lexicon,
                       origin_country="TH")
    assert "RF17b_job_in_bait_country" not in sign_ids(home)
    # a worded promise of high pay is a lure too (KP2MI warns of high-salary ads for Thailand,
    # [S23]), an amount alone (RF01b, the factory job above) is not
    promise = check_offer("Lowongan kerja di Thailand, gaji tinggi", lexicon, origin_country="ID")
    assert "RF17b_job_in_bait_country" in sign_ids(promise)
    assert promise.risk == "medium"
    lodging = check_offer("Factory job in Thailand, free accommodation", lexicon,
                          origin_country="MM")
    assert "RF17b_job_in_bait_country" not in sign_ids(lodging)


def test_an_online_chat_job_is_a_strong_sign_but_a_desk_title_is_not(lexicon: Lexicon) -> None:
    assert check_offer("แอดมินออนไลน์ ตอบแชทลูกค้า", lexicon).risk == "medium"
    assert check_offer("ວຽກຕອບແຊັດ", lexicon).risk == "medium"
    assert check_offer("lowongan customer service", lexicon).risk == "low"
    assert check_offer("Customer Service Representative / Call Center Agent", lexicon).risk == "low"


def test_a_job_left_open_between_desk_titles_is_a_strong_sign(lexicon: Lexicon) -> None:
    # [S12b]: the recruiters offered "customer service atau operator", not a job
    for text in ("customer service atau operator", "CS atau admin, gaji menarik",
                 "work as customer service or data entry", "แอดมินหรือคีย์ข้อมูล"):
        verdict = check_offer(text, lexicon)
        assert "RF03c_choice_of_vague_desk_jobs" in sign_ids(verdict), text
        assert verdict.risk == "medium", text
    # ... but not a requirement such as "experience in customer service or sales"
    required = check_offer("Experience in customer service or sales is an advantage.", lexicon)
    assert "RF03c_choice_of_vague_desk_jobs" not in sign_ids(required)


def test_a_job_abroad_offered_through_a_chat_app_is_a_combination(lexicon: Lexicon) -> None:
    abroad = check_offer("Factory job in Malaysia, salary $1,500 a month, apply via Telegram "
                         "@my_jobs", lexicon, origin_country="VN")
    assert "C10_job_abroad_through_chat_or_social_media" in abroad.combinations
    assert abroad.risk in ("medium", "high")
    nowhere = check_offer("Factory job, salary $300 a month, apply via Telegram @jobs", lexicon,
                          origin_country="VN")
    assert "C10_job_abroad_through_chat_or_social_media" not in nowhere.combinations


def test_words_for_abroad_make_a_job_abroad_for_a_broker(lexicon: Lexicon) -> None:
    # destinations outside the gazetteer (Korea) and words for "abroad" count as abroad for a
    # broker or an individual recruiting, not for a chat contact (agencies use Facebook too)
    chat = check_offer("Factory workers for Taiwan, POEA licensed, message our Facebook page",
                       lexicon, origin_country="PH")
    assert "C10_job_abroad_through_chat_or_social_media" not in chat.combinations
    # [S69]: individuals recruiting Lao workers for Korea without permission
    broker = check_offer("ບຸກຄົນ ປະກາດຮັບສະໝັກແຮງງານລາວໄປເຮັດວຽກຢູ່ ເກົາຫຼີ", lexicon)
    assert "C11_job_abroad_through_an_unlicensed_recruiter" in broker.combinations
    assert broker.risk == "medium"
    home = check_offer("Factory job, salary $300 a month, a broker will help", lexicon,
                       origin_country="VN")
    assert "C11_job_abroad_through_an_unlicensed_recruiter" not in home.combinations
    # a word for abroad is never a sign alone
    assert check_offer("Factory job in Korea, salary $1,500 a month", lexicon,
                       origin_country="VN").risk == "low"


def test_a_fee_paid_to_a_broker_outweighs_a_promised_official_route(lexicon: Lexicon) -> None:
    # a broker cannot give an MoU job or a work permit; the money goes to a person
    verdict = check_offer("Job in Thailand with a work permit under the MoU. The broker asked us "
                          "to pay a processing fee first.", lexicon, origin_country="MM")
    assert "C12_fees_paid_to_a_broker_or_individual" in verdict.combinations
    assert verdict.risk in ("medium", "high")
    free = check_offer("Job in Thailand under the MoU, no processing fee, no broker.", lexicon,
                       origin_country="MM")
    assert "C12_fees_paid_to_a_broker_or_individual" not in free.combinations


def test_an_offer_the_text_calls_a_deception_is_a_combination(lexicon: Lexicon) -> None:
    # RF21 + a job or pay (C13): a warning or news item about an offer, in any language
    for text in ("Most victims were promised a job paying USD 1000",
                 "ແຮງງານລາວຖືກຕົວະ ວ່າເຮັດວຽກຢູ່ເກົາຫລີ",
                 "Dijanjikan gaji 1.000 dolar AS",
                 "Nhiều người bị lừa sang làm việc với mức lương cao"):
        verdict = check_offer(text, lexicon)
        assert "RF21_offer_described_as_a_lure_or_deception" in sign_ids(verdict), text
        assert "C13_job_offer_described_as_a_deception" in verdict.combinations, text
        assert verdict.risk in ("medium", "high"), text
    # alone, without a job or pay, it is no offer combination; denied, it is no sign
    scams = check_offer("Beware of love scams and fake accounts on dating apps.", lexicon)
    assert "C13_job_offer_described_as_a_deception" not in scams.combinations
    denied = check_offer("Factory job in Japan with a work visa, not a fake job.", lexicon)
    assert "RF21_offer_described_as_a_lure_or_deception" not in sign_ids(denied)


@pytest.mark.parametrize(("text", "about_an_offer"), [
    # Round 9: RF21 with a recruiter sign or a destination abroad, no job word needed (C13)
    ("Nabiktima ng panloloko ng isang recruiter na nangakong dadalhin sila sa Canada.", True),
    ("Police arrested an illegal recruiter who tricked villagers into going to Malaysia.", True),
    ("Korban ditipu oleh calo yang menjanjikan berangkat ke Jepang.", True),
    # a warning about scams in general is no offer combination
    ("Beware of love scams on dating apps.", False),
    ("Hati-hati penipuan online", False),
    ("Cảnh báo lừa đảo qua mạng", False),
    ("ระวังมิจฉาชีพหลอกลวง", False),
])
def test_a_deception_is_a_combination_only_about_recruiting_or_going_abroad(
        lexicon: Lexicon, text: str, about_an_offer: bool) -> None:
    verdict = check_offer(text, lexicon)
    combined = "C13_job_offer_described_as_a_deception" in verdict.combinations
    assert combined is about_an_offer, text
    expected = ("medium", "high") if about_an_offer else ("low", "unknown")
    assert verdict.risk in expected, text


def test_a_desk_job_abroad_with_high_pay_is_a_combination(lexicon: Lexicon) -> None:
    # [S13][S71]: customer service or marketing abroad at USD 1,000-1,200
    abroad = check_offer("Customer service job in Malaysia, salary $1,500 a month", lexicon,
                         origin_country="ID")
    assert "C14_desk_job_abroad_with_high_pay" in abroad.combinations
    assert abroad.risk in ("medium", "high")
    home = check_offer("Customer service job in Jakarta, salary $1,500 a month", lexicon,
                       origin_country="ID")
    assert "C14_desk_job_abroad_with_high_pay" not in home.combinations
    factory = check_offer("Factory job in Malaysia, salary $1,500 a month", lexicon,
                          origin_country="ID")
    assert "C14_desk_job_abroad_with_high_pay" not in factory.combinations


def test_a_desk_job_abroad_through_an_acquaintance_is_a_combination(lexicon: Lexicon) -> None:
    # [S03]: lured "through acquaintances to work in professional roles"
    verdict = check_offer("rekan ayahnya yang menawari pekerjaan sebagai administrator "
                          "perusahaan di Singapura", lexicon)
    assert "C15_job_abroad_through_an_acquaintance" in verdict.combinations
    assert verdict.risk == "medium"
    factory = check_offer("My cousin who works in Malaysia offered me a factory job", lexicon,
                          origin_country="ID")
    assert "C15_job_abroad_through_an_acquaintance" not in factory.combinations
    assert factory.risk == "low"


def test_a_denied_licence_or_programme_is_no_legit_sign(lexicon: Lexicon) -> None:
    # [S69]: "without permission from the Department of Employment" (Lao)
    denied = check_offer("ຊັກຊວນແຮງງານລາວໄປເຮັດວຽກ ໂດຍບໍ່ໄດ້ຮັບອະນຸຍາດຈາກ ກົມການຈັດຫາງານ", lexicon)
    assert "L02_government_programme" not in {h.id for h in denied.legit_signs}
    assert "RF09_recruiter_not_licensed_or_is_an_individual" in sign_ids(denied)


def test_negated_signs_do_not_fire(lexicon: Lexicon) -> None:
    verdict = check_offer("You need a working visa, not a tourist visa. No registration fee. "
                          "Factory job in Japan.", lexicon)
    assert "RF06_tourist_or_visit_visa_for_work" not in sign_ids(verdict)
    assert "RF13_upfront_or_irregular_fees" not in sign_ids(verdict)
    verdict = check_offer("He had no contract, no work visa, customer service job.", lexicon)
    assert "L03_work_visa_or_permit" not in {h.id for h in verdict.legit_signs}
    assert "RF12_no_written_contract_or_unclear_terms" in sign_ids(verdict)


# --- combinations and thresholds ----------------------------------------------------------------


def test_combinations_outrank_single_signs(lexicon: Lexicon) -> None:
    single = check_offer("Lowongan customer service, gaji 15 juta per bulan", lexicon,
                         origin_country="ID")
    combined = check_offer("Lowongan customer service di Kamboja, kerja santai, gaji 15 juta "
                           "per bulan", lexicon, origin_country="ID")
    assert combined.score > single.score
    assert "C01_easy_or_desk_job_high_pay_risky_place" in combined.combinations
    assert combined.risk == "high"
    visa = check_offer("Kerja admin, gaji 15 juta, berangkat pakai visa wisata", lexicon)
    assert "C02_tourist_visa_for_work" in visa.combinations
    travel = check_offer("Free flight ticket and visa! Contact us on Telegram @jobs_now for the "
                         "job offer", lexicon)
    assert "C03_free_travel_and_chat_only" in travel.combinations


@pytest.mark.parametrize("text", [
    "gaji tinggi",
    "customer service",
    "free accommodation for staff",
    "Job in Cambodia, factory worker",
    "typing test required for the job",
    "Salary $5,000 per month for engineers",
    "menawarkan bekerja sebagai scammer",
])
def test_one_sign_alone_is_never_high(lexicon: Lexicon, text: str) -> None:
    verdict = check_offer(text, lexicon)
    assert verdict.risk != "high", (text, verdict.signs)


def test_legit_signs_lower_the_score_but_never_make_it_certain(lexicon: Lexicon) -> None:
    text = ("Factory workers for Taiwan, no experience needed, salary NT$27,470 per month. "
            "DMW License No. 123-LB-456789, written employment contract, work visa, PDOS.")
    verdict = check_offer(text, lexicon, origin_country="PH")
    assert verdict.legit_signs
    assert verdict.risk == "low"
    bare = check_offer("Factory workers for Taiwan, no experience needed, salary NT$27,470 per "
                       "month.", lexicon, origin_country="PH")
    assert verdict.score < bare.score
    assert "offer_verify_generic" in verdict.verify_next


def test_verify_next_depends_on_origin_and_signs(lexicon: Lexicon) -> None:
    verdict = check_offer("Kerja admin di Kamboja, gaji 15 juta, pakai visa wisata", lexicon,
                          origin_country="ID")
    assert verdict.verify_next[0] == "offer_verify_id"
    assert {"offer_verify_work_visa", "offer_verify_destination",
            "offer_verify_generic"} <= set(verdict.verify_next)


# --- unknown ------------------------------------------------------------------------------------

GERMAN = ("Wir suchen ab sofort eine freundliche Verkäuferin (m/w/d) in Teilzeit für unsere "
          "Bäckerei in München. Gehalt nach Vereinbarung, unbefristeter Vertrag, 30 Tage Urlaub. "
          "Bewerbung bitte per E-Mail an personal@baeckerei-beispiel.de")


@pytest.mark.parametrize("text", [
    "", "   \n\t ", "https://example.com/jobs?id=123", "www.example.org", "hi", "😀😀🔥💰💰",
    "How is the weather in Jakarta today?", "Cambodia", "@hr_cs88",
])
def test_unknown_when_there_is_nothing_to_judge(lexicon: Lexicon, text: str) -> None:
    verdict = check_offer(text, lexicon)
    assert verdict.risk == "unknown", (text, verdict.signs)
    assert verdict.signs == []


def test_unknown_for_random_characters_and_binary_junk(lexicon: Lexicon) -> None:
    rng = random.Random(7)
    samples = [
        "".join(rng.choices(string.printable, k=20000)),
        "".join(chr(rng.randint(32, 0x2FFFF)) for _ in range(20000)),
        bytes(rng.randrange(256) for _ in range(20000)).decode("latin-1"),
        bytes(rng.randrange(256) for _ in range(20000)).decode("utf-8", "replace"),
        "\x00\x01\x02\ud800\udfff" * 1000,
    ]
    for sample in samples:
        assert check_offer(sample, lexicon).risk == "unknown"


def test_unsupported_language_job_text_is_never_high(lexicon: Lexicon) -> None:
    verdict = check_offer(GERMAN, lexicon)
    assert verdict.risk in ("unknown", "low")


def test_twenty_thousand_characters_of_junk_or_repeats_get_an_exact_verdict(
        lexicon: Lexicon) -> None:
    """Pathological inputs finish with exact quotes (speed: bench/offers.py, not asserted)."""
    offer = OFFERS[0] + " " + OFFERS[1] + " " + OFFERS[3] + " "
    texts = [
        (offer * 200)[:20000],
        "a" * 20000,
        "1,000,000 " * 2000,
        "@" * 20000,
        "+855 " * 4000,
        "easy job " * 2500,
        "((((((((((" * 2000,
        "ก" * 20000,
    ]
    for text in texts:
        assert_quotes_exact(text, check_offer(text, lexicon))
    long_offer = check_offer(offer * 400, lexicon)
    assert long_offer.truncated and long_offer.risk == "high"


# --- never "safe" -------------------------------------------------------------------------------


def test_english_responses_never_say_safe() -> None:
    data = yaml.safe_load(RESPONSES_YML.read_text(encoding="utf-8"))
    for key, spec in data["responses"].items():
        assert not re.search(r"\bsafe", spec["text"], re.IGNORECASE), key
    low = data["responses"]["offer_risk_low"]["text"]
    assert "no strong warning signs found" in low.lower() and "still verify" in low.lower()


def test_every_sign_has_an_explanation_and_every_next_step_exists(lexicon: Lexicon) -> None:
    data = yaml.safe_load(RESPONSES_YML.read_text(encoding="utf-8"))
    responses = data["responses"]
    assert "buttons" not in data
    for rule in lexicon.signs:
        assert f"offer_sign_{rule.id}" in responses, rule.id
    for rule in lexicon.legit:
        assert f"offer_legit_{rule.id}" in responses, rule.id
    for risk in ("high", "medium", "low", "unknown"):
        assert f"offer_risk_{risk}" in responses
    for key in (*lexicon.verify_always, *lexicon.verify_by_origin.values(),
                *lexicon.verify_by_sign.values()):
        assert key in responses, key


# --- pay ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "amount", "currency", "period"), [
    ("gaji 15 juta/bulan", 15_000_000, "IDR", "month"),
    ("lương 20 triệu", 20_000_000, "VND", None),
    ("$1,200 per month", 1200, "USD", "month"),
    ("฿35,000", 35_000, "THB", None),
    ("RM 5,000", 5000, "MYR", None),
    ("₱50,000", 50_000, "PHP", None),
    ("1.000 USD", 1000, "USD", None),
    ("gaji 15jt/bln", 15_000_000, "IDR", "month"),
    ("lương 20tr/tháng", 20_000_000, "VND", "month"),
    ("เงินเดือน 30,000 บาทต่อเดือน", 30_000, "THB", "month"),
    ("sahod P50,000 kada buwan", 50_000, "PHP", "month"),
    ("ประกาศ: เดือนละ 25,000 บาท", 25_000, "THB", "month"),
    ("thu nhập 500.000 - 1 triệu đồng/ngày", 1_000_000, "VND", "day"),
    ("500rb sehari", 500_000, "IDR", "day"),
    ("VND20-30 million ($852-1,279) per month", 30_000_000, "VND", "month"),
    ("ប្រាក់ខែ ១០០០ដុល្លារ", 1000, "USD", None),
    ("ເງິນເດືອນ 5,000,000 ກີບ/ເດືອນ", 5_000_000, "LAK", "month"),
    ("လစာ ၁၀ သိန်း", 1_000_000, "MMK", None),
    ("10 lakh kyat", 1_000_000, "MMK", None),
    ("Rp16.411,65", 16411.65, "IDR", None),
    ("salary 8k USD", 8000, "USD", None),
    ("US$ 1.000 sampai 1.200", 1200, "USD", None),
    ("5.000 riel", 5000, "KHR", None),
    ("100 dollar a day", 100, "USD", "day"),
    ("lương 8 triệu, làm việc giờ hành chính", 8_000_000, "VND", None),  # office hours, not pay
    ("salaries from R15 000 per month", 15_000, "ZAR", "month"),  # South Africans [S77], dev k08
])
def test_pay_parsing(lexicon: Lexicon, text: str, amount: float, currency: str,
                     period: str | None) -> None:
    verdict = check_offer(text + " (job offer)", lexicon)
    assert verdict.facts.pay, text
    pay = verdict.facts.pay[0] if len(verdict.facts.pay) == 1 else max(
        verdict.facts.pay, key=lambda p: p.amount if p.currency == currency else -1)
    assert pay.amount == pytest.approx(amount), (text, pay)
    assert pay.currency == currency
    assert pay.period == period
    assert pay.usd_month_estimate is not None and pay.usd_month_estimate > 0


def test_pay_is_not_read_from_codes_dates_or_phone_numbers(lexicon: Lexicon) -> None:
    verdict = check_offer("P3MI resmi terdaftar sejak 2019, telepon 0812 3456 7890, "
                          "lowongan kerja", lexicon)
    assert verdict.facts.pay == []
    # a phone number after a pay word is no amount (it read as 812 million rupiah a month)
    for text, pay in (("Lowongan admin di Jakarta, gaji 5 juta, hubungi WA 0812345678", "5 juta"),
                      ("Tuyển nhân viên bán hàng, lương 7 triệu, liên hệ 0912 345 678",
                       "7 triệu")):
        verdict = check_offer(text, lexicon)
        assert [p.quote for p in verdict.facts.pay] == [pay], text
        assert "RF01b_pay_above_threshold" not in sign_ids(verdict), text
        assert verdict.facts.contacts, text


@pytest.mark.parametrize(("text", "pay"), [
    # a fee the worker pays is no pay (round 16: "Biaya 20 juta" was read as 20 million a month)
    ("Lowongan kerja di kapal ikan, gaji 5 juta. Biaya 20 juta potong gaji.", ["5 juta"]),
    ("Đài Loan tuyển nữ đóng gói, lương 27.470 Đài tệ. Phí 6.800$ đóng một lần.",
     ["27.470"]),
    ("Work in Poland, salary EUR 1,200 a month, processing fee of EUR 3,000.", ["EUR 1,200"]),
])
def test_a_fee_is_no_pay(lexicon: Lexicon, text: str, pay: list[str]) -> None:
    verdict = check_offer(text, lexicon)
    assert [p.quote for p in verdict.facts.pay] == pay
    assert "RF13_upfront_or_irregular_fees" in sign_ids(verdict)


def test_daily_pay_is_estimated_per_month(lexicon: Lexicon) -> None:
    verdict = check_offer("gaji Rp 500.000 per hari, kerja admin", lexicon)
    pay = verdict.facts.pay[0]
    assert pay.period == "day"
    assert pay.usd_month_estimate == pytest.approx(500_000 * lexicon.pay.currencies[1]
                                                   .usd_per_unit * 26, rel=0.01)


def test_pay_thresholds_depend_on_origin(lexicon: Lexicon) -> None:
    text = "Lowongan admin, gaji USD 750 per bulan"
    assert "RF01b_pay_above_threshold" in sign_ids(check_offer(text, lexicon, "VN"))
    assert "RF01b_pay_above_threshold" not in sign_ids(check_offer(text, lexicon, "ID"))


# --- contacts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "key", "country"), [
    ("+855 12 345 678", "+85512345678", "KH"),
    ("+66-81-234-5678", "+66812345678", "TH"),
    ("0062 812 3456 7890", "+6281234567890", "ID"),
    ("+95 9 123 456 789", "+959123456789", "MM"),
    ("0812-3456-7890", "081234567890", None),
])
def test_phone_keys(raw: str, key: str, country: str | None) -> None:
    assert phone_key(raw) == (key, country)


def test_contacts_are_normalised(lexicon: Lexicon) -> None:
    text = ("Hubungi @HR_CS88 atau t.me/xyz_jobs, WhatsApp +855 12 345 678, "
            "wa.me/6281234567890, info https://jobs.example.com/kh, email hr@mail.com")
    contacts = check_offer(text, lexicon).facts.contacts
    keys = {(c.kind, c.key, c.country) for c in contacts}
    assert ("telegram", "@hr_cs88", None) in keys
    assert ("telegram", "@xyz_jobs", None) in keys
    assert ("whatsapp", "+85512345678", "KH") in keys
    assert ("whatsapp", "+6281234567890", "ID") in keys
    assert any(c.kind == "url" and c.key == "jobs.example.com/kh" for c in contacts)
    assert not any(c.key == "@mail" for c in contacts)
    assert_quotes_exact(text, check_offer(text, lexicon))


def test_reported_contacts_raise_the_score(lexicon: Lexicon) -> None:
    text = "Lowongan admin di Kamboja, hubungi @HR_CS88"
    plain = check_offer(text, lexicon)
    reported = check_offer(text, lexicon, reported_contacts={"@hr_cs88": 3})
    assert reported.score > plain.score
    hit = next(h for h in reported.signs if h.id == "reported_contact")
    assert hit.quote == "@HR_CS88"
    other = check_offer(text, lexicon, reported_contacts={"@someone_else": 5})
    assert other.score == plain.score
    phone = check_offer("Kerja admin, WA +855 12 345 678", lexicon,
                        reported_contacts={"+85512345678": 1})
    assert "reported_contact" in sign_ids(phone)


# --- the loader ---------------------------------------------------------------------------------


def _first_sign(data: dict[str, Any], sign_id: str) -> dict[str, Any]:
    sign: dict[str, Any] = next(s for s in data["signs"] if s["id"] == sign_id)
    return sign


def test_loader_refuses_a_sign_without_a_source(raw_data: dict[str, Any],
                                                gazetteer: Gazetteer) -> None:
    data = copy.deepcopy(raw_data)
    del _first_sign(data, "RF05_employer_pays_all_travel")["sources"]
    with pytest.raises(LexiconError, match=r"RF05_employer_pays_all_travel.*no source"):
        parse_lexicon(data, gazetteer)
    _first_sign(data, "RF05_employer_pays_all_travel")["sources"] = []
    with pytest.raises(LexiconError, match="no source"):
        parse_lexicon(data, gazetteer)


def test_loader_refuses_a_bad_regex(raw_data: dict[str, Any], gazetteer: Gazetteer) -> None:
    data = copy.deepcopy(raw_data)
    _first_sign(data, "RF12_no_written_contract_or_unclear_terms")["patterns"]["en"].append(
        "no (contract")
    with pytest.raises(LexiconError, match=r"RF12_no_written_contract_or_unclear_terms.*bad regex"):
        parse_lexicon(data, gazetteer)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: _first_sign(d, "RF02_no_experience_or_qualifications_needed")
     .update(colour="red"), "unknown field 'colour'"),
    (lambda d: _first_sign(d, "RF02_no_experience_or_qualifications_needed")["patterns"]
     .update(de=["kein"]), "unknown language 'de'"),
    (lambda d: _first_sign(d, "RF02_no_experience_or_qualifications_needed")["patterns"]["en"]
     .append("x?"), "matches empty text"),
    (lambda d: _first_sign(d, "RF02_no_experience_or_qualifications_needed")["patterns"]["en"]
     .append("(?P<x>a)"), "named group"),
    (lambda d: _first_sign(d, "RF04_high_risk_destination").update(computed="magic"),
     "unknown computed"),
    (lambda d: d["combinations"][0]["all_of"][0].append("RF99_nothing"), "unknown sign"),
    (lambda d: d["destinations"]["hub_places"].append("tachileik"), "tachileik"),
    (lambda d: d["destinations"]["bait_countries"].append("XX"), "'XX' is not a known country"),
    (lambda d: d.update(extra=1), "unknown field 'extra'"),
    (lambda d: d["pay"].update(rates_note="rates"), "approximate"),
    (lambda d: d["pay"]["thresholds"].pop("note"), "Jaga's judgment"),
    (lambda d: _first_sign(d, "RF02_no_experience_or_qualifications_needed")
     .update(min_patterns=0), "min_patterns must be"),
    (lambda d: _first_sign(d, "RF02_no_experience_or_qualifications_needed")
     .update(min_patterns=99), "more than the features"),
])
def test_loader_refuses_invalid_data(raw_data: dict[str, Any], gazetteer: Gazetteer,
                                     change: Any, message: str) -> None:
    data = copy.deepcopy(raw_data)
    change(data)
    with pytest.raises(LexiconError, match=re.escape(message)):
        parse_lexicon(data, gazetteer)


def test_every_sign_in_the_data_has_a_source(lexicon: Lexicon) -> None:
    for rule in (*lexicon.signs, *lexicon.legit):
        assert rule.sources and all(s.strip() for s in rule.sources), rule.id
    assert "approximate" in lexicon.pay.rates_note.lower()
    assert "2026-11" in lexicon.pay.rates_note
    assert "red-flags.md §3.2" in lexicon.pay.thresholds_note or "§3.2" in SIGNS_YML.read_text(
        encoding="utf-8")


def test_no_unsourced_place_is_a_hub(lexicon: Lexicon) -> None:
    assert "tachileik" not in lexicon.destinations.hub_places
    assert not any("tachileik" in s for s in lexicon.compiled.destination_spellings)


# --- the CLI ------------------------------------------------------------------------------------


def test_cli_readable_report() -> None:
    out = io.StringIO()
    assert run_cli([], io.StringIO(OFFERS[0]), out) == 0
    report = out.getvalue()
    assert report.startswith("Risk: HIGH")
    assert "“Campuchia”" in report and "@hr_cs88" in report


def test_cli_json() -> None:
    out = io.StringIO()
    assert run_cli(["--json", "--origin", "vn"], io.StringIO(OFFERS[0]), out) == 0
    data = json.loads(out.getvalue())
    assert {"risk", "score", "signs", "legit_signs", "facts"} <= set(data)
    assert all(set(s) == {"id", "quote"} for s in data["signs"])
    assert data["origin"] == "VN"


def test_cli_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "offers.jsonl"
    rows = [{"id": f"o{i}", "text": text} for i, text in enumerate(OFFERS)]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
                    + "\nnot json\n", encoding="utf-8")
    out = io.StringIO()
    assert run_cli(["--jsonl", str(path)], io.StringIO(""), out) == 1
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["id"] for line in lines[:-1]] == [r["id"] for r in rows]
    assert lines[-1]["error"]
    assert all(line.get("risk") for line in lines[:-1])


# --- the dev set --------------------------------------------------------------------------------


def test_dev_set_format() -> None:
    rows = read_rows(DEV_SET)
    assert len(rows) >= 60
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    for row in rows:
        assert set(row) - {"note"} == {"id", "text", "label", "language", "source",
                                       "source_date", "split"}, row["id"]
        assert row["text"].strip(), row["id"]
        assert row["label"] in ("risky", "legit"), row["id"]
        assert row["language"] in LANGUAGES, row["id"]
        assert row["split"] in SPLITS, row["id"]
        assert row["source"].strip() and row["source_date"].strip(), row["id"]
        assert row["source"].startswith(("http", "[S")), row["id"]
    heldout = sum(1 for r in rows if r["split"] == "heldout")
    assert heldout >= 30
    assert sum(1 for r in rows if r["split"] == "heldout2") >= 30
    assert sum(1 for r in rows if r["split"] == "heldout3") >= 40
    assert sum(1 for r in rows if r["split"] == "heldout4") >= 40
    assert sum(1 for r in rows if r["split"] == "heldout5") >= 30
    assert sum(1 for r in rows if r["split"] == "heldout6") >= 60
    assert sum(1 for r in rows if r["split"] == "heldout7") >= 60
    assert sum(1 for r in rows if r["split"] == "heldout8") >= 60
    assert sum(1 for r in rows if r["split"] == "heldout9") >= 40
    assert sum(1 for r in rows if r["split"] == "heldout10") >= 60
    assert sum(1 for r in rows if r["split"] == "heldout11") >= 60
    assert sum(1 for r in rows if r["split"] == "heldout12") >= 60
    assert sum(1 for r in rows if r["split"] == "heldout13") >= 20
    assert sum(1 for r in rows if r["split"] == "heldout14") >= 150
    assert sum(1 for r in rows if r["split"] == "heldout15") >= 80
    assert sum(1 for r in rows if r["split"] == "heldout16") >= 15
    assert sum(1 for r in rows if r["split"] == "heldout17") >= 15
    assert sum(1 for r in rows if r["split"] == "heldout18") >= 100
    assert sum(1 for r in rows if r["split"] == "heldout19") >= 100
    assert sum(1 for r in rows if r["split"] == "heldout20") >= 20
    for split in SPLITS:
        labels = {r["label"] for r in rows if r["split"] == split}
        assert labels == {"risky", "legit"}


def test_eval_report(lexicon: Lexicon) -> None:
    report = evaluate(lexicon, read_rows())
    assert sum(report[split]["size"] for split in SPLITS) == report["all"]["size"]
    out = io.StringIO()
    assert run_eval(["--split", "heldout2"], out) == 0
    assert "== heldout2:" in out.getvalue() and "risky" in out.getvalue()
    out = io.StringIO()
    assert run_eval([], out) == 0
    assert all(f"== {split}:" in out.getvalue() for split in SPLITS)


@pytest.mark.parametrize("split", ["heldout", "heldout2", "heldout3", "heldout4", "heldout5",
                                   "heldout6", "heldout7", "heldout8", "heldout9",
                                   "heldout10", "heldout11", "heldout12", "heldout13",
                                   "heldout14", "heldout15", "heldout16", "heldout17",
                                   "heldout18", "heldout19"])
def test_heldout_precision_on_risky(dev_report: dict[str, Any], split: str) -> None:
    risky = dev_report[split]["labels"]["risky"]
    assert risky["precision"] >= 0.85, risky


def test_heldout20_precision_on_risky(dev_report: dict[str, Any]) -> None:
    # A floor, not the target: heldout20 (26 rows, 14 called risky) was scored once after the
    # eighteenth round at 11 of 14 (0.79), below the 0.85 target; three legit rows were called
    # medium (docs/offers.md). This session's three blind sets together: 119 of 132 (0.90).
    risky = dev_report["heldout20"]["labels"]["risky"]
    assert risky["precision"] >= 0.78, risky


@pytest.mark.parametrize("split", ["tune", "heldout", "heldout2", "heldout3", "heldout4",
                                   "heldout5", "heldout6", "heldout7", "heldout8", "heldout10",
                                   "heldout11", "heldout14", "heldout15", "heldout18"])
def test_tuned_splits_keep_their_recall(dev_report: dict[str, Any], split: str) -> None:
    # A regression floor, not the target: every split here was tuned on (heldout5 since the
    # sixth round, heldout6 since the seventh, heldout7 and heldout8 since the eighth, heldout10
    # since the tenth, heldout11 since the eleventh, heldout14 since the fifteenth, heldout15
    # since the sixteenth, heldout18 since the seventeenth, which studied their misses, and the
    # report model is trained on them; heldout9, studied only through the sign counts of round
    # 9, at 0.84, and heldout12, studied by the twelfth round, at 0.94, have lower floors below).
    risky = dev_report[split]["labels"]["risky"]
    assert risky["recall"] >= 0.94, risky


@pytest.mark.parametrize(("split", "floor"), [
    ("heldout9", 0.84),   # studied only through the sign counts of round 9
    ("heldout12", 0.93),  # studied by round 12
    ("heldout13", 0.95),  # never tuned on: 13 of 13 found
    ("heldout16", 0.95),  # never tuned on: 9 of 9 found (8 before the report model)
    ("heldout17", 0.95),  # never tuned on: 11 of 11 found (10 before the report model)
    ("heldout20", 0.84),  # never tuned on: 11 of 13 found, scored once after round 18
])
def test_splits_below_the_common_floor_keep_their_recall(dev_report: dict[str, Any], split: str,
                                                          floor: float) -> None:
    # Floors, not the target: the untuned splits here have too few rows to show 0.95.
    risky = dev_report[split]["labels"]["risky"]
    assert risky["recall"] >= floor, risky


@pytest.mark.xfail(strict=True, reason="the 0.95 recall target is not met on the newest split "
                   "never tuned on (heldout19: 54 of 64; docs/offers.md)")
def test_untuned_recall_on_risky(dev_report: dict[str, Any]) -> None:
    # The 0.95 target on the newest split never tuned on: heldout19, 112 rows collected blind to
    # the checker, 64 risky, scored once after the seventeenth round with the report model
    # (RF27): 54 found (49 without it). heldout18, the set before it, found 54 of 63 as first
    # scored; the eight before those 276 of 315 (docs/offers.md). Tune on heldout19 only with a
    # new blind set to replace it; the report model is not trained on it
    # (scripts/train_report_model.py, UNTUNED).
    risky = dev_report["heldout19"]["labels"]["risky"]
    assert risky["recall"] >= 0.95, risky


# Round 8: the kinds of text heldout7 and heldout8 missed, in several languages, in the words of
# other reporters (written probes, not dev rows). Each of these was low or unknown before it.
ROUND8_RISKY = [
    # money paid to a recruiter, agent or broker for a job abroad (RF13), never sent (RF23)
    "My cousin paid 80,000 pesos to an agent for a hotel job in Qatar and is still "
    "waiting to be deployed.",
    "Saya sudah menyerahkan uang 25 juta kepada calo untuk kerja di pabrik Korea, tapi "
    "masih menunggu keberangkatan.",
    "Anh ấy đã đóng lệ phí 150 triệu để đi làm việc tại Nhật Bản nhưng mòn mỏi hai năm vẫn chờ.",
    "Nagbayad siya ng 50,000 sa kanyang recruiter para sa trabaho sa Canada.",
    "พี่สาวจ่ายเงินให้นายหน้า 80,000 บาทเพื่อไปทำงานที่เกาหลี ยังรอการเดินทางอยู่",
    "ຂ້ອຍຈ່າຍເງິນໃຫ້ນາຍໜ້າ 20 ລ້ານກີບ ເພື່ອໄປເຮັດວຽກຢູ່ເກົາຫຼີ",
    "មេខ្យល់បានយកលុយពីពលករ ១០០០ ដុល្លារ ដើម្បីបញ្ជូនទៅធ្វើការនៅកូរ៉េ",
    "ပွဲစားကိုငွေ ၅ သိန်းပေးပြီး ထိုင်းမှာအလုပ်လုပ်ဖို့ စောင့်နေတယ်",
    # posing as, claiming to be (RF16) with a fee or a promise
    "A man claiming to be from a licensed agency offered factory jobs in Poland for a fee "
    "of 3,000 euros.",
    "Seorang pria mengaku dari perusahaan resmi menawarkan kerja di Jepang dengan biaya "
    "pemberangkatan 30 juta.",
    "Nagpanggap siya bilang recruiter ng isang agency at nangako ng trabaho sa Japan.",
    # a different employer on arrival (RF17) with fees deducted from wages (RF13)
    "Sesampai di Malaysia, mereka dipindahkan ke majikan lain dan gajinya dipotong dari "
    "gaji untuk biaya agen.",
    # quick money offered by a stranger online (RF01c, RF15)
    "A stranger on Facebook asked if I wanted to make some quick cash working in Myanmar.",
    "Ada orang yang tidak dikenal di Facebook menawarkan cari uang cepat di Kamboja.",
    "Một người lạ quen qua mạng rủ tôi kiếm tiền nhanh ở Campuchia.",
    "มีผู้หญิงที่เพิ่งรู้จักทางเฟซบุ๊กชวนไปหาเงินง่ายที่กัมพูชา",
    "ມີຄົນແປກໜ້າທີ່ຮູ້ຈັກທາງເຟສບຸກ ຊວນໄປຫາເງິນງ່າຍຢູ່ກຳປູເຈຍ",
]

ROUND8_ORDINARY = [
    "The DOLE job fair on May 1 has 20,000 vacancies from 300 participating employers. Top "
    "vacancies: customer service representatives, production workers, cashiers and service crew.",
    "Job fair kali ini diikuti 45 perusahaan peserta dengan 2.000 lowongan kerja dari 45 "
    "perusahaan.",
    "Ngày hội việc làm có 50 doanh nghiệp tham gia tuyển dụng với hơn 3.000 vị trí.",
    "Chương trình EPS: người lao động nộp hồ sơ tại Trung tâm Lao động ngoài nước, chi "
    "phí theo quy định.",
    "Biaya penempatan seperti tiket dan visa kerja ditanggung pemberi kerja. Program G to "
    "G ke Korea melalui BP2MI.",
    "Our employer pays for the work permit and the flight; the agency is licensed by the DMW.",
    "กรมการจัดหางานจัดงานนัดพบแรงงาน มีบริษัทที่เข้าร่วมงาน 40 แห่ง",
    "We deliver fast: make some noise for our new hires! Sales associate wanted in Makati.",
    "Walang placement fee. Lisensyadong ahensya ng DMW, trabaho sa Japan bilang caregiver.",
    "Tuyển công nhân may tại Bình Dương, lương 8 triệu, có chỗ ở.",
]


def test_round8_a_permit_paid_for_is_no_official_route(lexicon: Lexicon) -> None:
    text = ("N diminta membayar Rp150.000 untuk pendaftaran, lalu biaya pembuatan paspor, "
            "izin kerja dan visa.")
    verdict = check_offer(text, lexicon)
    assert not any(h.id.startswith("L03") for h in verdict.legit_signs)
    assert verdict.risk == "medium"


def test_round8_an_official_body_that_arrests_is_no_route(lexicon: Lexicon) -> None:
    text = ("Police together with officials of the Department of Labour arrested two brokers who "
            "took money from workers for jobs in Korea.")
    verdict = check_offer(text, lexicon)
    assert not verdict.legit_signs
    assert verdict.risk in ("medium", "high")


# Round 10 (studied heldout10's misses): a recruiter described as not licensed or operating
# without a licence (RF09), "misled applicants" (RF21), money paid before any job offer or
# departure (RF13), in the eight languages (written probes, not dev rows; ten of the eleven
# were low or unknown before the round). Ordinary texts that state a licence, or pay after the
# offer, stay low.
ROUND10_RISKY = [
    'The recruitment firm was not accredited by the DMW but promised jobs in Canada.',
    'Applicants paid P30,000 for training before receiving job offers in Japan.',
    'Perusahaan yang belum mendapat izin itu merekrut puluhan warga untuk bekerja di Jepang.',
    'Mereka diminta membayar 20 juta sebelum berangkat ke Korea.',
    'Công ty chưa được cấp phép nhưng vẫn tuyển lao động đi Đài Loan.',
    'Người lao động phải đóng trước 100 triệu để đi Nhật Bản.',
    'บริษัทไม่มีใบอนุญาตจัดหางาน แต่รับสมัครคนไปทำงานญี่ปุ่น',
    'ບໍລິສັດບໍ່ມີໃບອະນຸຍາດ ແຕ່ຮັບສະໝັກຄົນໄປເຮັດວຽກຢູ່ເກົາຫຼີ',
    'ក្រុមហ៊ុនមិនបានទទួលអាជ្ញាប័ណ្ណ តែជ្រើសរើសពលករទៅធ្វើការនៅកូរ៉េ',
    'လိုင်စင်မရှိတဲ့ ကုမ္ပဏီက ဂျပန်မှာ အလုပ်ရှိတယ်လို့ ခေါ်နေတယ်',
    'Pinagbayad sila ng 50,000 bago makaalis papuntang Japan.',
]

ROUND10_ORDINARY = [
    'The agency is licensed by the DMW and registered with the POEA. Hotel jobs in Japan.',
    'Công ty được cấp phép hoạt động dịch vụ đưa người lao động đi làm việc ở nước ngoài, '
    'tuyển 50 lao động đi Nhật Bản.',
    'บริษัทจัดหางานได้รับอนุญาตจากกรมการจัดหางาน รับสมัครคนงานไปทำงานเกาหลี',
    'Perusahaan resmi dan memiliki izin dari Kemnaker, membuka lowongan kerja ke Jepang.',
    'Applicants will receive a job offer before any payment; the employer pays all fees.',
    'Lisensyadong ahensya ng DMW, hindi kailangan magbayad bago ma-deploy.',
    'Công ty tuyển nhân viên văn phòng, đóng bảo hiểm đầy đủ, lương 10 triệu.',
]


# Round 11 (studied heldout11's misses): asked or charged to pay an amount (RF13), no job on
# arrival (RF23), an official body's operatives as the enforcer, in several languages.
ROUND11_RISKY = [
    'Các đối tượng yêu cầu anh chuyển 80 triệu đồng để đi làm việc tại Nhật Bản.',
    'Dia meminta kami membayar 20 juta untuk kerja di pabrik Korea.',
    'Hiningan siya ng 80,000 pesos para sa trabaho sa Japan.',
    'ให้ผู้สมัครโอนเงิน 30,000 บาท เป็นค่าดำเนินการไปทำงานเกาหลี',
    'When they arrived in Kuala Lumpur, the employer refused to give them work.',
    'Sang nơi thì không có việc, công ty cũng không trả lại tiền.',
    'Mga operatiba ng DMW ang nag-apply at siningil sila ng 100,000 para sa trabaho sa Japan.',
    'ໄປຮອດແລ້ວບໍ່ມີວຽກ ເພິ່ນໃຫ້ພວກເຂົາຈ່າຍເງິນກ່ອນ',
    'ទៅដល់ហើយគ្មានការងារ ហើយត្រូវបង់ប្រាក់ឱ្យមេខ្យល់',
    'ရောက်တော့အလုပ်မရှိဘူး ပွဲစားက ငွေလွှဲခိုင်းတယ်',
]

ROUND11_ORDINARY = [
    'Walang sinisingil na placement fee ang lisensyadong ahensya para sa trabaho sa Japan.',
    'Tuyển công nhân may, lương 8 triệu; công ty yêu cầu ứng viên nộp 2 ảnh 3x4 trước ngày 30/6.',
    'Hotel jobs in Dubai through a DMW-licensed agency; the employer provides the work permit.',
    'นายจ้างจะโอนเงินเดือนให้ทุกเดือน งานโรงงานที่ชลบุรี',
    'The company plans to invest 2 billion USD in a new factory and hire 3,000 workers in Batam.',
    'Lowongan operator produksi di Cikarang, gaji UMK, perusahaan resmi dan memiliki izin.',
]


def test_a_document_called_fake_or_an_officials_entrapment_is_no_official_route(
        lexicon: Lexicon) -> None:
    for text in ("She gave each aspiring migrant fake work permits for jobs in Portugal.",
                 "Mga operatiba ng DMW ang nag-apply sa alok na trabaho sa Japan."):
        assert check_offer(text, lexicon).legit_signs == [], text
    real = check_offer("Caregiver jobs in Japan; the employer provides the work permit.", lexicon)
    assert real.legit_signs, "a work permit named without a frame stays a legit sign"


def test_an_investment_is_no_pay(lexicon: Lexicon) -> None:
    verdict = check_offer("A farm complex at a total cost of 750 million USD will create "
                          "25,000 jobs.", lexicon)
    assert verdict.facts.pay == []
    assert "RF01b_pay_above_threshold" not in sign_ids(verdict)


# Round 12 (studied heldout12's misses): the offer called untrue or a hoax (RF21), the
# recruiter who vanishes (RF23), claiming to provide foreign employment (RF13, RF16).
ROUND12_RISKY = [
    'The DOLE said the offer of 700 mushroom picker jobs in Canada is not true.',
    'Kemnaker memastikan informasi lowongan kerja ke Jepang itu tidak benar alias hoaks.',
    'Thông tin tuyển 500 lao động đi Nhật Bản lương 50 triệu là không có thật.',
    'กรมการจัดหางานยืนยันว่าข่าวรับสมัครคนไปทำงานเกาหลีไม่เป็นความจริง',
    'The recruiter disappeared with the money after promising jobs in Poland.',
    'Sau khi nhận tiền, đối tượng bỏ trốn, người lao động không được đi Nhật Bản.',
    'Bigla na lang naglaho ang may-ari ng ahensya matapos singilin '
    'ang mga aplikante para sa trabaho sa Canada.',
    'She collected Rs. 500,000 claiming to provide employment in Dubai.',
]

ROUND12_ORDINARY = [
    'Hindi totoo na may bayad ang pag-apply sa EPS; libre ito sa DOLE.',
    'It is not true that applicants must pay a fee: the DMW-licensed agency '
    'charges no placement fee for nurse jobs in Germany.',
    'Walang katotohanan ang balitang may bayad ang job fair ng DOLE sa Maynila.',
    'Công ty tuyển công nhân may tại Bình Dương, lương 8 triệu, có chỗ ở.',
    'The Department of Migrant Workers (DMW) is hiring nurses for '
    'Germany under a government-to-government programme.',
]


def test_a_frame_before_a_long_name_frames_its_acronym(lexicon: Lexicon) -> None:
    warned = check_offer("NAGBABALA ang Department of Labor and Employment (DOLE) laban sa "
                         "alok na trabaho sa Canada na may sweldong P150,000 kada buwan.", lexicon)
    assert warned.legit_signs == []
    hiring = check_offer("The Department of Migrant Workers (DMW) is hiring nurses for Germany "
                         "under a government-to-government programme.", lexicon)
    assert hiring.legit_signs




@pytest.mark.parametrize(("text", "countries"), [
    # a country named as the people's origin is not where the job is (round 13)
    ("Japanese companies will hire 1,200 Myanmar workers for nursing care in Hokkaido.", []),
    ("โรงงานในชลบุรีเปิดรับแรงงานกัมพูชา 500 อัตรา ผ่าน MOU", []),
    ("ស្ត្រីជនជាតិឥណ្ឌូនេស៊ីម្នាក់ បានទទួលការផ្តល់ការងារតាមហ្វេសប៊ុក", []),
    ("Công ty tuyển 200 lao động Campuchia làm việc tại Bình Dương", []),
    ("Japanese firms will employ 400 Myanmar workers, the Myanmar Embassy in Tokyo said.", []),
    # ... but a country next to other words still is
    ("Indonesian citizens rescued from Cambodia after they were lured with fake jobs", ["KH"]),
    ("Lowongan kerja di Kamboja, gaji 15 juta", ["KH"]),
    ("รับสมัครคนไทยไปทำงานกัมพูชา เงินเดือนสูง", ["KH"]),
    ("Myanmar workers were trafficked to Myawaddy", ["MM"]),
])
def test_a_country_named_as_the_peoples_origin_is_no_destination(
        lexicon: Lexicon, text: str, countries: list[str]) -> None:
    found = check_offer(text, lexicon).facts.destinations
    assert sorted({d.country for d in found}) == countries, found


# Round 14: probe texts written by a session that never opened the checker (not real data, not a
# measure; tests/offers/probes_round14.jsonl); each was low or unknown (risky) or medium
# (ordinary) before the round.
ROUND14 = [json.loads(line) for line in
           (DEV_SET.parent / "probes_round14.jsonl").read_text(encoding="utf-8").splitlines()]
ROUND14_RISKY = [r["text"] for r in ROUND14 if r["label"] == "risky"]
ROUND14_ORDINARY = [r["text"] for r in ROUND14 if r["label"] == "ordinary"]


@pytest.mark.parametrize(("text", "withheld"), [
    ("Their passports were confiscated on arrival and they were not paid for three months.", True),
    ("Salary USD 400/month paid at end of 2-year contract.", True),
    ("Applicants must hold a valid passport and a college degree.", False),
    ("Employers must not keep their workers' passports.", False),
])
def test_documents_or_pay_withheld(lexicon: Lexicon, text: str, withheld: bool) -> None:
    ids = {s.id for s in check_offer(text, lexicon).signs}
    assert ("RF26_documents_or_pay_withheld" in ids) is withheld, ids


# Round 15: the kinds of text heldout14 missed, in the words of other writers (written probes,
# not dev rows); each of these was low or unknown before the round.
ROUND15_RISKY = [
    "The job ads came from a fake DOLE Facebook page.",
    "Lowongan kerja yang mengatasnamakan PT Pertamina, gaji Rp 8 juta.",
    "Một fanpage có tên gần giống fanpage chính thức của công ty đăng tin tuyển dụng nhân viên, "
    "yêu cầu mỗi ứng viên phải nộp 500.000 đồng.",
    "Kumpleto na ang bayad niya sa agency pero hindi pa rin siya nakaaalis ng bansa.",
    "The agency recruited workers for Korea without obtaining permission from the labour "
    "ministry.",
    "Sau khi chuyển khoản ký quỹ để nhận việc, toàn bộ liên lạc bị cắt đứt.",
    "They offered her work as a TikTok reviewer, paid for every video she liked.",
    "The workers entered Malaysia illegally to take up plantation jobs.",
]
ROUND15_ORDINARY = [
    "PT Maju Jaya membuka lowongan operator produksi, kirim CV ke email HRD, gaji UMK, BPJS "
    "Ketenagakerjaan.",
    "Follow our official Facebook page for vacancies. Cashier wanted, Mon-Sat 9am-6pm, send your "
    "CV.",
]

# Round 16: heldout15's misses, by kind (written probes; each low before the round).
ROUND16_RISKY = [
    "The Department of Migrant Workers has issued a warning about third-country recruitment "
    "offered on Facebook.",
    "Anang DMW, humihingi ang ahensya ng processing fee na P100,000 sa bawat aplikante para sa "
    "trabaho sa Croatia.",
    "Việc làm tự do tại nhà, chỉ cần 99.000 đồng vốn, thu nhập 7 triệu/tháng.",
    "Setelah kenalan, obrolan pindah ke WhatsApp dan dia menawari kerja di restoran di Thailand.",
    "The agency promised them civilian positions, but they were sent to the front line.",
]


def test_an_officials_title_is_no_desk_job(lexicon: Lexicon) -> None:
    # round 16: "POEA administrator Bernard Olalia" (heldout15 na12) was read as a desk job
    title = check_offer("POEA administrator Bernard Olalia said licensed agencies will process "
                        "caregiver visas for Japan.", lexicon)
    assert title.signs == []
    job = check_offer("Dicari administrator gudang, gaji 4 juta.", lexicon)
    assert [s.id for s in job.signs] == ["RF03_vague_online_desk_job_title"]


def test_employment_offices_are_an_official_route(lexicon: Lexicon) -> None:
    # round 16 (heldout14 ma32, mc18): vacancies abroad applied for through Thailand's
    # employment offices are a government programme, even at a casino resort
    verdict = check_offer("Workers can apply to work with a hotel and casino business in Macao. "
                          "The highest monthly salary is 40,000 baht. Interested persons can "
                          "contact employment offices in all provinces.", lexicon)
    assert "L02_government_programme" in {h.id for h in verdict.legit_signs}
    assert verdict.risk == "low"


# Round 17 (heldout18's misses and false alarms, by kind; written probes, not dev rows): fly
# now pay later and payment in exchange for a job, money asked of workers, guaranteed
# departure, business or commercial visas and visas "converted" after arrival, a promise to
# find someone a job, people sold, registration fees for a job; and an official body that
# encourages jobseekers to apply, or hiring "without going through brokers", is no warning.
ROUND17_RISKY = [
    "Fly now, pay later po ang agency, siguradong lipad agad papuntang Dubai bilang caregiver.",
    "Nag-aalok sila ng trabaho sa Canada kapalit ng P150,000 na bayad bago umalis.",
    "Humihingi sila ng malaking halaga sa mga OFW para makasama sa listahan ng interview sa "
    "Taiwan.",
    "Công ty hứa đưa lao động sang Hàn Quốc bằng visa thương mại rồi đổi sang visa lao động, "
    "lương 1.500 USD/tháng.",
    "Đối tượng hứa giới thiệu các em làm phục vụ nhà hàng lương 15 triệu rồi bán cho chủ quán "
    "với giá 4 triệu đồng.",
    "Muốn nhận việc đánh giá sản phẩm tại nhà, chị phải đóng số tiền đăng ký khóa học 495.000 "
    "đồng.",
    "They will go on a business visa and it will be converted to a work visa after arrival. "
    "Factory job in Poland, salary EUR 1,200.",
    "Kerja pabrik di Korea, dijamin langsung berangkat, visa kunjungan diubah jadi visa kerja "
    "setelah tiba.",
]
ROUND17_ORDINARY = [
    "Hinikayat ng MMDA ang mga bagong graduate na mag-apply sa kanilang ahensiya para sa mga "
    "office jobs.",
    "Employers can hire Filipino workers directly without having to go through brokers, "
    "under the direct hiring programme.",
    "Phí dịch vụ 1.000 USD theo quy định của Bộ, lương tối thiểu 17.000 TWD/tháng, hợp đồng "
    "ký qua doanh nghiệp được cấp phép.",
]


def test_the_command_line_reads_zawgyi_as_the_bot_does() -> None:
    # heldout18 held a Burmese report in Zawgyi; the bot converts such text before the check
    # (bot/conversation.py clean), and so do `jaga check-offer` and `jaga eval-offers` now.
    offer = "Customer service job in {}, salary USD 1,500, contact Telegram @jobs_example"
    answers = []
    for country in ("ျမန္မာႏိုင္ငံ", "မြန်မာနိုင်ငံ"):  # the same word in Zawgyi, in Unicode
        out = io.StringIO()
        assert run_cli(["--json"], io.StringIO(offer.format(country)), out) == 0
        answers.append(json.loads(out.getvalue()))
    assert answers[0] == answers[1]
    assert [d["country"] for d in answers[0]["facts"]["destinations"]] == ["MM"]


# Round 18 (2026-12-07): ordinary local ads that the checker called medium, found with 160
# ordinary texts written by Jaga's team for study (not the 120 kept for evaluation, which
# measure the round: docs/offers.md). "No experience needed" alone is weak now (RF02 0.15); a
# "+" starts another part of the pay, not its period; "bảo vệ" (security guard) is no free
# ticket; years of experience required are a term of an ordinary posting (L07).
ROUND18_ORDINARY = [
    "Tuyển công nhân may tại Bình Dương, không cần kinh nghiệm, được đào tạo, lương 7 triệu.",
    "รับพนักงานขายหน้าร้าน ที่นนทบุรี ไม่มีประสบการณ์สอนงานให้ เงินเดือน 12,000 บาท",
    "Hiring production operators in Penang, no experience needed, training provided, "
    "RM1,700 basic.",
    "Tuyen bao ve ca dem chung cu Thu Duc, 8tr/thang, 12h/ca.",
    "ក្រុមហ៊ុនត្រូវការកម្មករ ប្រាក់ខែគោល $200 + ម៉ោងបន្ថែម នៅភ្នំពេញ",
]


@pytest.mark.parametrize("text", ROUND8_RISKY + ROUND10_RISKY + ROUND11_RISKY + ROUND12_RISKY
                         + ROUND14_RISKY + ROUND15_RISKY + ROUND16_RISKY + ROUND17_RISKY)
def test_kinds_of_a_rounds_misses_are_risky(lexicon: Lexicon, text: str) -> None:
    assert check_offer(text, lexicon).risk in ("medium", "high")


@pytest.mark.parametrize("text", ROUND8_ORDINARY + ROUND10_ORDINARY + ROUND11_ORDINARY
                         + ROUND12_ORDINARY + ROUND14_ORDINARY + ROUND15_ORDINARY)
def test_ordinary_wording_of_a_round_stays_low(lexicon: Lexicon, text: str) -> None:
    assert check_offer(text, lexicon).risk == "low"


@pytest.mark.parametrize("text", ROUND17_ORDINARY + ROUND18_ORDINARY)
def test_ordinary_texts_of_rounds_17_and_18_stay_low(lexicon: Lexicon, text: str) -> None:
    verdict = check_offer(text, lexicon)
    assert verdict.risk in {"low", "unknown"}, (verdict.score,
                                                [(h.id, h.quote) for h in verdict.signs])


def test_a_plus_starts_another_part_of_the_pay_not_its_period(lexicon: Lexicon) -> None:
    pay = check_offer("Salary USD 300 + overtime hours, garment factory", lexicon).facts.pay
    assert [(p.amount, p.period) for p in pay] == [(300.0, None)]


@pytest.mark.parametrize("text", [
    "Accountant, Makati. 3 years of experience, send your resume, Monday to Friday.",
    "Kế toán tổng hợp, 3 năm kinh nghiệm, gửi CV, thứ 2 đến thứ 6.",
    "ຮັບສະໝັກພະນັກງານບັນຊີ ປະສົບການ 3 ປີ ສົ່ງ CV ວັນຈັນ-ສຸກ ເງິນເດືອນ 5,000,000 ກີບ",
    "รับสมัครพนักงานบัญชี ประสบการณ์ 2 ปี ส่ง CV ทางอีเมล ทำงานจันทร์-ศุกร์",
])
def test_years_of_experience_are_a_term_of_an_ordinary_posting(lexicon: Lexicon,
                                                                text: str) -> None:
    assert "L07_ordinary_job_posting" in {h.id for h in check_offer(text, lexicon).legit_signs}
