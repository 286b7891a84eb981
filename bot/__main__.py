"""``jaga``: run the bot, chat in a console, train, evaluate, and manage translations."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import platform
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import replace
from pathlib import Path

from bot.settings import PROJECT_ROOT, Settings, SettingsError


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        sys.exit(f"jaga: {exc}")


def _logging(settings: Settings, quiet: bool = False) -> None:
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    handlers: list[logging.Handler] = [logging.FileHandler(settings.var_dir / "jaga.log")]
    if not quiet:
        handlers.append(logging.StreamHandler(sys.stderr))
    logging.basicConfig(level=settings.log_level, handlers=handlers,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)


async def _chat(settings: Settings, sender: str, language: str | None) -> None:
    from bot.console import chat
    from bot.runtime import Runtime

    async with Runtime(settings) as runtime:
        if sys.stdin.isatty():
            print("Jaga console chat. Type a message; a number presses a button; /quit ends.")
        await chat(runtime.conversation, sender, language)


async def _telegram(settings: Settings, webhook: bool) -> None:
    from bot.runtime import Runtime
    from bot.telegram.app import add_webhook_route, build_application, set_commands
    from bot.telegram.scripts import ScriptDesk
    from bot.telegram.staff import StaffDesk

    if webhook and not (settings.telegram_webhook_url and settings.telegram_webhook_secret):
        sys.exit("jaga: webhook mode needs TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET")
    if not webhook:
        settings = replace(settings, telegram_webhook_url="")
    runtime = Runtime(settings)
    async def intent_of(text: str) -> str:
        return str((await runtime.dialogue.parse(text)).get("intent", {}).get("name", ""))

    desk = StaffDesk(runtime.cases, runtime.renderer, settings, runtime.spool, intent_of,
                     runtime.forget_location)
    scripts = ScriptDesk(runtime.catalogs, runtime.renderer, settings,
                         runtime.live_responses.reload_if_changed)
    application, front = build_application(settings, runtime.conversation, runtime.renderer,
                                           runtime.database, desk=desk, scripts=scripts)
    if webhook:  # the route must exist before the HTTP server starts
        add_webhook_route(runtime.web_app, application, settings.telegram_webhook_secret,
                          order=front.order)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    log = logging.getLogger(__name__)
    async with runtime, application:
        await set_commands(application, runtime.renderer)
        await application.start()
        if webhook:
            await application.bot.set_webhook(settings.telegram_webhook_url,
                                              secret_token=settings.telegram_webhook_secret)
            log.info("Jaga is running on Telegram (webhook %s)", settings.telegram_webhook_url)
        else:
            assert application.updater is not None
            await application.bot.delete_webhook()
            await application.updater.start_polling()
            log.info("Jaga is running on Telegram (long polling)")
        outbox = asyncio.create_task(desk.run(application.bot, stop))
        await stop.wait()
        await outbox
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        await application.stop()
    await front.close()


def cmd_run(args: argparse.Namespace) -> None:
    settings = _settings()
    if settings.telegram_bot_token and not args.console:
        _logging(settings)
        asyncio.run(_telegram(settings, args.webhook))
    else:
        _logging(settings, quiet=True)
        if not settings.telegram_bot_token and sys.stdin.isatty():
            print("TELEGRAM_BOT_TOKEN is not set: starting the console chat instead.")
        asyncio.run(_chat(settings, args.sender or f"console-{uuid.uuid4().hex[:8]}",
                          args.lang))


def cmd_chat(args: argparse.Namespace) -> None:
    settings = _settings()
    _logging(settings, quiet=True)
    asyncio.run(_chat(settings, args.sender or f"console-{uuid.uuid4().hex[:8]}", args.lang))


def cmd_train(args: argparse.Namespace) -> None:
    from bot.dialogue.server import RasaSetupError, train

    settings = _settings()
    _logging(settings)
    started = time.monotonic()
    try:
        path = train(settings, force=args.force)
    except RasaSetupError as exc:
        sys.exit(f"jaga: {exc}")
    print(f"model: {path} ({time.monotonic() - started:.1f} s)")


def cmd_nlu_generate(args: argparse.Namespace) -> None:
    from bot.nlu_data import write_generated

    changed = write_generated(PROJECT_ROOT)
    print("\n".join(str(p) for p in changed) or "generated files are up to date")


async def _evaluate(settings: Settings) -> dict[str, object]:
    from bot.dialogue.client import RasaClient
    from bot.dialogue.server import RasaServer
    from bot.evaluation import read_examples, score
    from bot.i18n.languages import SUPPORTED

    server = None
    if not settings.rasa_url:
        server = RasaServer(settings)
        server.start()
    client = RasaClient(settings.rasa_urls)
    try:
        await client.wait_ready(settings.rasa_start_timeout_seconds,
                                alive=server.alive if server else None)
        results: dict[str, object] = {}
        for language in SUPPORTED:
            pairs = read_examples(PROJECT_ROOT / "tests" / "nlu" / f"{language}.yml")
            predicted = [str((await client.parse(text))["intent"]["name"]) for _, text in pairs]
            scores = score([intent for intent, _ in pairs], predicted)
            results[language] = {"macro_f1": round(scores.macro_f1, 3),
                                 "accuracy": round(scores.accuracy, 3), "examples": scores.size,
                                 "per_intent_f1": {k: round(v[2], 3)
                                                   for k, v in scores.per_intent.items()}}
        return results
    finally:
        await client.close()
        if server:
            server.stop()


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT,
                              capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return "unknown"


def cmd_nlu_evaluate(args: argparse.Namespace) -> None:
    settings = _settings()
    _logging(settings, quiet=True)
    results = asyncio.run(_evaluate(settings))
    print(f"Intent macro-F1 on held-out tests/nlu/<lang>.yml (commit {_commit()}, "
          f"{platform.node()}, {platform.processor() or platform.machine()})")
    print(f"{'lang':<6}{'examples':>9}{'macro-F1':>10}{'accuracy':>10}  weakest intents")
    failed = False
    for language, data in results.items():
        assert isinstance(data, dict)
        weakest = sorted(data["per_intent_f1"].items(), key=lambda kv: kv[1])[:3]
        print(f"{language:<6}{data['examples']:>9}{data['macro_f1']:>10.3f}"
              f"{data['accuracy']:>10.3f}  " + ", ".join(f"{k} {v:.2f}" for k, v in weakest))
        failed |= data["macro_f1"] < args.min_f1
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if failed:
        sys.exit(f"jaga: a language is below the macro-F1 target {args.min_f1}")


def cmd_i18n(args: argparse.Namespace) -> None:
    from bot.i18n import workflow

    responses, locales = PROJECT_ROOT / "responses", PROJECT_ROOT / "locales"
    if args.step == "extract":
        print(workflow.extract(responses, locales))
    elif args.step == "update":
        workflow.extract(responses, locales)
        print("\n".join(str(p) for p in workflow.update(responses, locales)))
    elif args.step == "compile":
        print("\n".join(str(p) for p in workflow.compile_catalogs(locales)))
    else:
        from bot.i18n.responses import Renderer

        renderer = Renderer.from_directories(responses, locales)
        review = workflow.review_status(locales)
        for language in workflow.TRANSLATED:
            print(f"{language}: {renderer.translated_share(language):.0%} translated, "
                  f"{review.get(language, 'unreviewed')}")


OWN_PARSERS = {  # subcommands that parse their own arguments
    "check-offer": "bot.offers_cli",
    "eval-offers": "bot.offers_eval",
}


def cmd_route(args: argparse.Namespace) -> None:
    from bot.reference import ReferenceData
    from bot.services.routing import route, route_json

    reference = ReferenceData.load(PROJECT_ROOT)
    nationality = reference.gazetteer.lookup("nationalities", args.nationality) or \
        reference.gazetteer.lookup("countries", args.nationality)
    if nationality is None:
        sys.exit(f"jaga route: unknown nationality {args.nationality!r}")
    host = reference.gazetteer.lookup("countries", args.country) if args.country else None
    place = reference.gazetteer.lookup("places", args.place) if args.place else None
    if args.place and place is None:
        sys.exit(f"jaga route: unknown place {args.place!r}")
    if place and not host:
        host = reference.gazetteer.country_of_place(place)
    if (args.lat is None) != (args.lon is None):
        sys.exit("jaga route: give both --lat and --lon")
    point = (args.lat, args.lon) if args.lat is not None and args.lon is not None else None
    result = route(reference.directory, nationality, host, point,
                   reference.routes.get(place or ""),
                   place_point=reference.gazetteer.point_of_place(place))
    print(json.dumps(route_json(result), ensure_ascii=False, indent=2))


def cmd_directory_check(args: argparse.Namespace) -> None:
    from bot.reference import load_directory
    from bot.services.contacts import DirectoryError

    try:
        directory = load_directory(PROJECT_ROOT)
    except DirectoryError as exc:
        sys.exit(f"data/missions.csv: {exc}")
    undated = sum(1 for c in directory if not c.source_date)
    print(f"data/missions.csv: {len(directory)} rows, all with a source; {undated} without a "
          "source date (shown as such). A running bot picks up changes within 10 s.")


def cmd_responses_check(args: argparse.Namespace) -> None:
    from bot.i18n.check import check, format_report
    from bot.i18n.responses import load_sources

    report = check(PROJECT_ROOT)
    try:
        total = len(load_sources(PROJECT_ROOT / "responses"))
    except Exception:
        total = 0
    print(format_report(report, total))
    if report.failed(args.strict):
        sys.exit(1)


def cmd_responses_coverage(args: argparse.Namespace) -> None:
    from bot.i18n.catalogs import shipped_coverage

    rows = shipped_coverage(PROJECT_ROOT)
    total = rows[0].translated + rows[0].missing if rows else 0
    print(f"{total} translatable messages; missing ones are shown in English; a message "
          "counts as reviewed only with a 'reviewed: <name> <date>' comment")
    print("\n".join(row.line() for row in rows))
    print("(the shipped catalogs in locales/; /coverage in Telegram shows the live versions)")


def main(argv: list[str] | None = None) -> None:
    arguments = sys.argv[1:] if argv is None else argv
    if arguments and arguments[0] in OWN_PARSERS:
        import importlib

        module = importlib.import_module(OWN_PARSERS[arguments[0]])
        if arguments[0] == "check-offer":
            sys.exit(module.run(arguments[1:], sys.stdin, sys.stdout))
        sys.exit(module.run(arguments[1:], sys.stdout))
    parser = argparse.ArgumentParser(prog="jaga", description=__doc__, epilog=(
        "Also: jaga check-offer [--json] [--jsonl FILE] [--origin XX] (an offer on stdin); "
        "jaga eval-offers [--split SPLIT|all] "
        "(accuracy on tests/offers/dev.jsonl)."))
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run on Telegram (console chat without a token)")
    run.add_argument("--console", action="store_true", help="console chat even with a token")
    run.add_argument("--webhook", action="store_true",
                     help="receive Telegram updates on the app's /telegram webhook")
    run.add_argument("--sender", help="conversation id for the console")
    run.add_argument("--lang", help="client language code for the console (e.g. id)")
    run.set_defaults(func=cmd_run)

    chat = commands.add_parser("chat", help="console chat (stdin: one message per line)")
    chat.add_argument("--sender", help="conversation id (default: a new one)")
    chat.add_argument("--lang", help="client language code (e.g. id); detected otherwise")
    chat.set_defaults(func=cmd_chat)

    train = commands.add_parser("train", help="train the Rasa model if it is missing or stale")
    train.add_argument("--force", action="store_true", help="train even if up to date")
    train.set_defaults(func=cmd_train)

    nlu = commands.add_parser("nlu", help="NLU data tools").add_subparsers(dest="step",
                                                                          required=True)
    nlu.add_parser("generate", help="regenerate nlu/generated and the domain responses"
                   ).set_defaults(func=cmd_nlu_generate)
    evaluate = nlu.add_parser("evaluate", help="intent macro-F1 per language on tests/nlu")
    evaluate.add_argument("--json", help="also write the results to this file")
    evaluate.add_argument("--min-f1", type=float, default=0.0,
                          help="exit non-zero when a language scores below this")
    evaluate.set_defaults(func=cmd_nlu_evaluate)

    i18n = commands.add_parser("i18n", help="translations: Babel extract/update/compile/status")
    i18n.add_argument("step", choices=["extract", "update", "compile", "status"])
    i18n.set_defaults(func=cmd_i18n)

    router = commands.add_parser("route", help="the missions and hotlines for a worker, as JSON")
    router.add_argument("--nationality", required=True, help="e.g. ID, PH, or a name")
    router.add_argument("--country", help="where the worker is, e.g. KH")
    router.add_argument("--place", help='a place name, e.g. "Sihanoukville" or "KK Park"')
    router.add_argument("--lat", type=float, help="latitude of the worker's location")
    router.add_argument("--lon", type=float, help="longitude of the worker's location")
    router.set_defaults(func=cmd_route)

    directory = commands.add_parser("directory", help="missions and hotlines").add_subparsers(
        dest="step", required=True)
    directory.add_parser("check", help="validate data/missions.csv (every row needs a source)"
                         ).set_defaults(func=cmd_directory_check)

    responses = commands.add_parser("responses", help="response scripts").add_subparsers(
        dest="step", required=True)
    checker = responses.add_parser("check", help="validate scripts and catalogs for release")
    checker.add_argument("--strict", action="store_true",
                         help="untranslated messages are errors too")
    checker.set_defaults(func=cmd_responses_check)
    responses.add_parser("coverage", help="per language: messages translated, reviewed, missing"
                         ).set_defaults(func=cmd_responses_coverage)

    args = parser.parse_args(arguments)
    args.func(args)


if __name__ == "__main__":
    main()
