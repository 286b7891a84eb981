"""End-to-end conversations through the real Rasa server, as the console and Telegram have
them (Conversation.handle is the engine both use)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import inspect, text

from bot.i18n.languages import SUPPORTED
from bot.store.repositories import UserRepository
from tests.conftest import LiveBot

GREETINGS = {
    "en": "hello there",
    "id": "halo kak, selamat pagi",
    "tl": "kumusta po kayo",
    "vi": "xin chào bạn",
    "my": "မင်္ဂလာပါ",
    "km": "សួស្តីបង",
    "th": "สวัสดีครับ",
    "lo": "ສະບາຍດີ",
}
ZAWGYI_HELLO = "မဂၤလာပါ"  # "mingalaba" typed in the legacy Zawgyi encoding


def new_sender(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@pytest.mark.parametrize("language", SUPPORTED)
def test_greeting_is_answered_in_the_users_language(live_bot: LiveBot, language: str) -> None:
    replies = live_bot.say(new_sender(f"greet-{language}"), GREETINGS[language])
    assert replies[0].text == live_bot.text("utter_greet", language)
    assert [b.payload for b in replies[0].buttons][:3] == [
        "/check_offer", "/ask_migration_steps", "/request_help"]


def test_zawgyi_greeting_is_converted_and_answered_in_burmese(live_bot: LiveBot) -> None:
    replies = live_bot.say(new_sender("zawgyi"), ZAWGYI_HELLO)
    assert replies[0].text == live_bot.text("utter_greet", "my")


def test_help_request_gives_the_national_hotline_in_the_first_reply(
        any_live_bot: LiveBot) -> None:
    sender = new_sender("help-id")
    replies = any_live_bot.say(sender, "tolong saya, paspor saya ditahan, gak bisa keluar")
    first = replies[0].text
    assert first.startswith(any_live_bot.text("msg_help_first", "id"))
    assert "+62 812 9007 0027" in first  # Kemlu RI hotline, data/missions.csv
    assert "2024-08-06" in first  # shown with its source date


def test_help_flow_nationality_then_country_routes_to_the_embassy(live_bot: LiveBot) -> None:
    sender = new_sender("help-en")
    replies = live_bot.say(sender, "please help me i am trapped, they beat us")
    ask = replies[-1]
    assert ask.text == live_bot.text("msg_ask_nationality", "en")
    assert '/inform{"nationality":"PH"}' in [b.payload for b in ask.buttons]
    replies = live_bot.say(sender, '/inform{"nationality":"PH"}')
    assert "1348" in replies[0].text  # DMW/OWWA hotline
    assert replies[-1].text == live_bot.text("msg_ask_country", "en")
    replies = live_bot.say(sender, '/inform{"country":"KH"}')
    assert "Philippine Embassy" in replies[0].text and "Phnom Penh" in replies[0].text
    assert "117" in replies[0].text  # Cambodian National Police hotline


def test_place_named_in_words_sets_the_country(live_bot: LiveBot) -> None:
    sender = new_sender("place")
    live_bot.say(sender, "help me please")
    live_bot.say(sender, '/inform{"nationality":"ID"}')
    replies = live_bot.say(sender, "I'm in Sihanoukville")
    assert "KBRI Phnom Penh" in replies[0].text


def test_language_changed_in_words_is_kept(any_live_bot: LiveBot) -> None:
    sender = new_sender("lang")
    any_live_bot.say(sender, "hello")
    replies = any_live_bot.say(sender, "can you speak Thai please")
    assert replies[0].text == any_live_bot.text("msg_language_changed", "th")
    replies = any_live_bot.say(sender, "hello")  # English words, but Thai was chosen
    assert replies[0].text == any_live_bot.text("utter_greet", "th")


def test_language_picker_names_each_language_in_its_own_script(live_bot: LiveBot) -> None:
    replies = live_bot.say(new_sender("picker"), "/change_language")
    titles = [b.title for b in replies[0].buttons]
    assert len(titles) == 8 and "English" in titles and "ไทย" in titles
    assert '/change_language{"language":"km"}' in [b.payload for b in replies[0].buttons]


def test_delete_my_data_removes_app_rows_and_the_rasa_tracker(any_live_bot: LiveBot) -> None:
    sender = new_sender("delete")
    any_live_bot.say(sender, "halo kak")
    any_live_bot.say(sender, '/ask_migration_steps{"nationality":"ID"}')
    runtime = any_live_bot.runtime
    with runtime.database.session() as session:
        assert UserRepository(session).get(sender) is not None
    replies = any_live_bot.say(sender, "hapus data saya")
    assert replies[0].text == any_live_bot.text("utter_confirm_delete", "id")
    replies = any_live_bot.say(sender, "/affirm")
    assert replies[0].text == any_live_bot.text("msg_deleted", "id")
    with runtime.database.session() as session:
        assert UserRepository(session).get(sender) is None
    with runtime.eraser.engine.connect() as connection:
        assert inspect(connection).has_table("events")
        count = connection.execute(text("SELECT COUNT(*) FROM events WHERE sender_id = :s"),
                                   {"s": sender}).scalar_one()
    assert count == 0
    assert any_live_bot.say(sender, "/ask_migration_steps")[0].text == any_live_bot.text(
        "guide_ask_origin", "en")  # no guide progress left (and the language was forgotten)


def test_delete_cancelled_keeps_everything(live_bot: LiveBot) -> None:
    sender = new_sender("keep")
    live_bot.say(sender, "hello")
    live_bot.say(sender, "/delete_my_data")
    replies = live_bot.say(sender, "/deny")
    assert replies[0].text == live_bot.text("utter_delete_cancelled", "en")
    with live_bot.runtime.database.session() as session:
        assert UserRepository(session).get(sender) is not None


AD_ID = ("Dicari CS untuk Kamboja, gaji 15 juta, tiket pesawat ditanggung, tanpa pengalaman, "
         "hubungi telegram @hr_cs88")


def test_pasted_ad_gets_a_verdict_with_the_users_words(any_live_bot: LiveBot) -> None:
    reply = any_live_bot.say(new_sender("offer"), AD_ID)[0]
    assert reply.text.startswith(any_live_bot.text("offer_risk_high", "id"))
    assert "“Kamboja”" in reply.text and "“15 juta”" in reply.text
    assert [b.payload for b in reply.buttons] == ["/check_offer", "/ask_migration_steps",
                                                  "/request_help"]


def test_asking_to_check_then_pasting_the_ad(live_bot: LiveBot) -> None:
    sender = new_sender("paste")
    replies = live_bot.say(sender, "is this job offer real or scam?")
    assert replies[0].text == live_bot.text("msg_offer_paste", "en")
    reply = live_bot.say(sender, "CS job in Cambodia 1500 USD, free flight, contact @jobs_kh1")[0]
    assert reply.text.startswith((live_bot.text("offer_risk_high", "en"),
                                  live_bot.text("offer_risk_medium", "en")))
    assert "“Cambodia”" in reply.text


def test_a_help_request_is_never_taken_for_the_awaited_ad(live_bot: LiveBot) -> None:
    sender = new_sender("await-help")
    live_bot.say(sender, "/check_offer")
    replies = live_bot.say(sender, "tolong saya, paspor saya ditahan, gak bisa keluar")
    assert replies[0].text.startswith(live_bot.text("msg_help_first", "id"))


def test_reported_recruiter_is_flagged_in_later_offers(any_live_bot: LiveBot) -> None:
    reporter = new_sender("reporter")
    replies = any_live_bot.say(reporter, "saya mau lapor calo penipu")
    assert replies[0].text == any_live_bot.text("msg_report_ask", "id")
    replies = any_live_bot.say(reporter, "dia bilang kerja CS di Kamboja, kontaknya telegram "
                                         "@calo_palsu77 dan wa +855 12 345 678, paspor saya "
                                         "diminta")
    saved = any_live_bot.text("msg_report_saved", "id", contacts="\0")
    assert replies[0].text.startswith(saved.split("\0")[0])
    assert "@calo_palsu77" in replies[0].text
    reply = any_live_bot.say(new_sender("victim"), "Lowongan admin di Kamboja gaji 12 juta, "
                                                   "hubungi @Calo_Palsu77")[0]
    assert "“@Calo_Palsu77”" in reply.text
    assert any_live_bot.text("msg_offer_reported_line", "id", quote="@Calo_Palsu77",
                             count=1) in reply.text


def test_migration_guide_walks_and_resumes(any_live_bot: LiveBot) -> None:
    sender = new_sender("guide")
    replies = any_live_bot.say(sender, "how can I work abroad legally?")
    assert replies[0].text == any_live_bot.text("guide_ask_origin", "en")
    assert '/ask_migration_steps{"nationality":"PH"}' in [b.payload for b in replies[0].buttons]
    first = any_live_bot.say(sender, '/ask_migration_steps{"nationality":"PH"}')[0].text
    assert any_live_bot.text("guide_step_header", "en", number=1, total=8,
                             country="Philippines") in first
    second = any_live_bot.say(sender, '/ask_migration_steps{"guide":"done"}')[0].text
    assert "Step 2 of 8" in second
    resumed = any_live_bot.say(sender, "/ask_migration_steps")[0].text
    assert "Step 2 of 8" in resumed
    checklist = any_live_bot.say(sender, '/ask_migration_steps{"guide":"checklist"}')[0].text
    assert "✅ 1." in checklist and "⬜ 2." in checklist


@pytest.mark.parametrize("message", ["", "   ", "\u200b\u200b"])
def test_empty_message_gets_a_clear_reply(live_bot: LiveBot, message: str) -> None:
    replies = live_bot.say(new_sender("empty"), message)
    assert replies[0].text == live_bot.text("msg_empty_message", "en")


@pytest.mark.parametrize("message", ["😀😀😀🙏", "a" * 4000,
                                     "hello สวัสดี xin chào ជំរាបសួរ",
                                     "\x00\x01binary\x7fjunk"])
def test_odd_messages_still_get_a_reply(live_bot: LiveBot, message: str) -> None:
    replies = live_bot.say(new_sender("odd"), message)
    assert replies and all(r.text for r in replies)


def test_outage_reply_has_hotlines_in_the_users_language(live_bot: LiveBot) -> None:
    from bot.conversation import Conversation
    from bot.dialogue.client import RasaClient
    from tests.conftest import free_port

    runtime = live_bot.runtime
    dead = RasaClient(f"http://127.0.0.1:{free_port()}", timeout=2)
    conversation = Conversation(dead, runtime.users, runtime.renderer, runtime.reference)
    replies = live_bot.run(conversation.handle(new_sender("outage"), "xin chào", None))
    assert replies[0].text.startswith(live_bot.text("msg_rasa_down", "vi"))
    assert "+84 981 84 84 84" in replies[0].text  # Vietnam MOFA citizen-protection hotline
    live_bot.run(dead.close())


def test_help_questions_one_tap_at_a_time_reach_the_case(any_live_bot: LiveBot) -> None:
    sender = new_sender("questions")
    any_live_bot.say(sender, "tolong saya, saya dikurung")
    any_live_bot.say(sender, '/inform{"nationality":"ID"}')
    replies = any_live_bot.say(sender, '/inform{"country":"KH"}')
    assert replies[-1].text == any_live_bot.text("msg_help_ask_safe", "id")
    payloads = [b.payload for b in replies[-1].buttons]
    assert payloads == ['/request_help{"help_answer":"safe_yes"}',
                        '/request_help{"help_answer":"safe_no"}']
    assert any_live_bot.say(sender, payloads[0])[0].text == any_live_bot.text(
        "msg_help_ask_situation", "id")
    any_live_bot.say(sender, '/request_help{"help_answer":"sit_passport"}')
    any_live_bot.say(sender, '/request_help{"help_answer":"sit_scam"}')
    assert any_live_bot.say(sender, '/request_help{"help_answer":"sit_done"}')[0].text == \
        any_live_bot.text("msg_help_ask_reach", "id")
    case = any_live_bot.run(any_live_bot.runtime.cases.open_case(sender))
    assert case is not None
    last = any_live_bot.say(sender, '/request_help{"help_answer":"reach_here"}')[0].text
    assert last == any_live_bot.text("msg_help_all_noted", "id", reference=case.reference)
    case = any_live_bot.run(any_live_bot.runtime.cases.open_case(sender))
    assert case is not None
    assert case.details["happening"] == ["passport", "scam"]
    assert case.details["safe_to_write"] is True and case.details["reach"] == "here"
    assert (case.nationality, case.host_country) == ("ID", "KH")
