"""Redis (Rasa's lock store) dies mid-run and comes back, through a TCP proxy the test cuts:
what the user sees meanwhile, and that the help request sent then is not lost."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from bot.store.models import Case
from tests.conftest import LiveBot, live_settings, reachable
from tests.faults.conftest import replaying_desk
from tests.faults.proxy import TcpProxy

pytestmark = pytest.mark.rasa
HELP = "tolong saya, paspor saya ditahan"


@pytest.fixture(scope="module")
def proxy() -> Iterator[TcpProxy]:
    if not reachable("127.0.0.1", 6379):
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    proxy = TcpProxy(6379)
    yield proxy
    proxy.close()


@pytest.fixture(scope="module")
def live(proxy: TcpProxy, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBot]:
    bot = LiveBot(live_settings(tmp_path_factory.mktemp("fault-redis"),
                                lock_store_url=f"redis://127.0.0.1:{proxy.port}/0"))
    yield bot
    bot.close()


def test_redis_dies_mid_conversation_and_comes_back(live: LiveBot, proxy: TcpProxy) -> None:
    sender = f"tg-{uuid.uuid4().int % 10**9}"
    greet = live.text("utter_greet", "en")
    assert live.say(sender, "hello", "en")[0].text == greet
    assert proxy.connections >= 1  # Rasa's lock store really goes through the proxy

    proxy.cut()
    during = live.say(sender, HELP, "id")
    assert during[0].text.startswith(live.text("msg_rasa_down", "id"))
    assert "+62 812 9007 0027" in during[0].text
    proxy.restore()
    assert live.say(sender, "hello", "en")[0].text == greet  # Rasa reconnects by itself

    assert live.run(replaying_desk(live).replay_spool()) == 1
    case = live.run(live.runtime.cases.open_case(sender))
    assert case is not None and case.details["words"] == HELP
    with live.runtime.database.session() as session:
        assert session.query(Case).filter_by(sender_id=sender).count() == 1
