"""The benchmarks keep working: both import paths write the same rows; the report benchmark measures real data."""

import pytest
from django.db import connection

from benchmarks import city, consolidate, history_import, report_render, submission_storm
from models_pilot.models import PilotModel
from reporting import cells
from reporting.choices import AgencyKind, SubmissionStatus
from reporting.figures import consolidation
from reporting.formatting import format_number
from reporting.models import Agency, DataValue, Submission, ValueChange
from reporting.operations import city_generator
from reporting.report.compose import compose
from reporting.report.document import Paragraph
from reporting.report.render_html import to_html
from reporting.submissions import sheets

pytestmark = pytest.mark.django_db


def test_both_history_import_paths_write_every_generated_row_and_ours_audits_each():
    user = city_generator.load_city()
    content = city_generator.history_workbook(city_generator.history_rows(120))

    def ours_with_audit():
        return (*history_import.ours(content, user), ValueChange.objects.count())

    _, (stored, changes, audited) = history_import.timed(ours_with_audit)
    assert (stored, changes, audited) == (120, 120, 120)
    _, (stored, totals) = history_import.timed(lambda: history_import.baseline(content))
    assert stored == 120 and totals["new"] == 120


def test_the_report_benchmark_consolidates_the_generated_months():
    """Tiny scale: 3 wards, 2 months. The consolidated figure of a ward service is the sum of what was generated."""
    history = city_generator.generate_history(city_generator.load_city(wards=3), first=(2024, 3), months=2)
    april = history.periods[-1]
    units = list(april.expected_agencies())
    assert (history.units, history.submissions) == (len(units), 2 * len(units))
    assert Submission.objects.filter(period=april, status=SubmissionStatus.APPROVED).count() == len(units)

    received = cells.service_key("DVC12", "received")
    stored = sum(DataValue.objects.filter(submission__period=april, key=received).values_list("number", flat=True))
    figures = consolidation.figures([april])
    assert figures.get(received) == stored == history.totals[april.pk, received] > 0
    # The benchmark's baseline adds up the same numbers as the SQL, over a range too.
    assert consolidate.python_loop_figures(history.periods) == consolidation.figures(history.periods).values
    # and the bare aggregate of one month the same as the consolidation of that month.
    assert consolidate.bare_sql_totals(april) == consolidation.figures([april]).values
    online, received = cells.service_key("DVC01", "online"), cells.service_key("DVC01", "received")  # the outline's
    assert f"{format_number(figures.get(online))}/{format_number(figures.get(received))}" in to_html(compose(april))


def test_each_timed_pdf_is_of_a_report_no_render_has_laid_out_before():
    """Typst would give back a layout it made before: every paragraph and table of each copy is new."""
    history = city_generator.generate_history(city_generator.load_city(wards=3), first=(2024, 4), months=1)
    document = compose(history.periods[-1])
    copies = report_render.unseen_copies(document, 3)

    def blocks(each):
        return [repr(block) for block in [*each.blocks, *each.appendix]]

    seen = set(blocks(document))
    for copy in copies:
        assert len(blocks(copy)) == len(blocks(document)) and not seen & set(blocks(copy))
        seen |= set(blocks(copy))
    assert [block.text for block in copies[1].blocks if isinstance(block, Paragraph)] == [
        f"{block.text} 2" for block in document.blocks if isinstance(block, Paragraph)]
    assert copies[0].header == document.header and copies[0].signature == document.signature


def test_each_generated_unit_reports_exactly_its_sheet_with_consistent_numbers():
    history = city_generator.generate_history(city_generator.load_city(wards=3), first=(2024, 4), months=1)
    april = history.periods[0]
    model_lead = PilotModel.objects.exclude(lead_agency=None).values_list("lead_agency__code", flat=True).first()
    for code in ("BENCH-P001", "Q01", "STP", "CATP", model_lead):
        agency = Agency.objects.get(code=code)
        values = {value.key: value for value in DataValue.objects.filter(submission__agency=agency,
                                                                         submission__period=april)}
        sheet = sheets.build(agency, april)
        assert {key for key in values if not key.startswith("note.")} == {cell.key for cell in sheet.cells
                                                                         if cell.required}, code
        for bound in sheet.bounds:          # online ≤ received, direct ≤ received, resolved ≤ to resolve…
            assert values[bound.part].number <= values[bound.whole].number, (code, bound)
    unemployment = {value.key: value.number for value in DataValue.objects.filter(
        submission__period=april, key__startswith="dvc.DVC14.")}
    assert {key.rpartition(".")[2] for key in unemployment} == {
        "received", "online", "direct", "to_resolve", "resolved", "on_time"}
    assert unemployment["dvc.DVC14.online"] + unemployment["dvc.DVC14.direct"] <= unemployment["dvc.DVC14.received"]
    assert DataValue.objects.filter(submission__agency__code="Q01", key="note.direction").exclude(text="").exists()
    assert not DataValue.objects.filter(submission__agency__kind=AgencyKind.WARD, key__startswith="note.").exists()


def test_generate_city_is_deterministic_and_leaves_some_months_missing_and_some_late(capsys):
    from django.core.management import CommandError, call_command

    call_command("generate_city", "--seed", "7", "--months", "2", "--first", "2024-03", "--wards", "3",
                 "--missing", "10")
    assert "Dữ liệu sinh:" in capsys.readouterr().out
    submitted = Submission.objects.count()
    expected = sum(period.expected_agencies().count() for period in {s.period for s in Submission.objects.all()})
    assert 0 < submitted < expected                      # some units' months are missing
    assert Submission.objects.filter(is_late=True).exists()
    first_run = sorted(DataValue.objects.exclude(number=None).values_list("submission__agency__code", "key", "number"))
    with pytest.raises(CommandError, match="đã có báo cáo"):
        call_command("generate_city", "--seed", "7", "--months", "2", "--first", "2024-03", "--wards", "3")
    DataValue.objects.all().delete()
    Submission.objects.all().delete()
    call_command("generate_city", "--seed", "7", "--months", "2", "--first", "2024-03", "--wards", "3",
                 "--missing", "10")
    assert sorted(DataValue.objects.exclude(number=None).values_list(
        "submission__agency__code", "key", "number")) == first_run   # the same seed, the same city


@pytest.mark.django_db(transaction=True)
def test_the_deadline_storm_submits_every_unit_and_reads_every_value_back(live_server):
    """Tiny scale, through a live server: every unit submits the month after the history, nothing is lost."""
    if connection.vendor != "postgresql":
        # The test database of SQLite lives in shared memory, where a second writer fails at once instead of waiting.
        pytest.skip("cần PostgreSQL: nhiều đơn vị ghi cùng lúc")
    history = city_generator.generate_history(city_generator.load_city(wards=3), first=(2024, 4), months=1)
    site = city.site(live_server.thread.port, history)
    assert (site.open_period.year, site.open_period.month) == (2024, 5)
    [result] = submission_storm.run(site.port, site.open_period, site.storm_units, seconds=2, goal_p95_ms=None)
    assert result.met, result.value
    assert Submission.objects.filter(period=site.open_period, status=SubmissionStatus.SUBMITTED).count() \
        == len(site.storm_units) == site.open_period.expected_agencies().count()
    # The check finds a value the database did not keep as posted.
    posted = {agency_pk: values for agency_pk, _, _, values in site.storm_units}
    assert submission_storm.lost_values(site.open_period, posted) == 0
    DataValue.objects.filter(submission__period=site.open_period, number__gt=0).first().delete()
    assert submission_storm.lost_values(site.open_period, posted) == 1


def test_results_md_holds_every_figure_with_its_baseline_goal_verdict_the_machine_and_the_log(tmp_path, monkeypatch):
    import datetime

    from benchmarks import results

    monkeypatch.setattr(results, "RESULTS_FILE", tmp_path / "RESULTS.md")
    rows = [results.Result("Nhập", "2,33 s", "django-import-export 125,74 s", "nhanh gấp 54,0×", "≥ 10×", True),
            results.Result("Trang nhập liệu", "p95 386,7 ms", goal="p95 ≤ 150 ms", met=False),
            results.Result("Soạn báo cáo", "0,14 s")]
    text = results.write(rows, "dòng nhật ký\n", datetime.datetime(2026, 12, 1, 22, 41)).read_text()
    assert "| Nhập | 2,33 s | django-import-export 125,74 s | nhanh gấp 54,0× | ≥ 10× | đạt |" in text
    assert "| Trang nhập liệu | p95 386,7 ms | — | — | p95 ≤ 150 ms | CHƯA ĐẠT |" in text
    assert "| Soạn báo cáo | 0,14 s | — | — | — | — |" in text
    assert "lõi" in text and "GiB RAM" in text and f"Cơ sở dữ liệu: {'PostgreSQL' if connection.vendor == 'postgresql' else 'SQLite'}" in text
    assert "```\ndòng nhật ký\n```" in text
    assert "CHƯA ĐẠT" in results.table(rows)


def test_the_load_clients_count_every_request_and_a_failing_server_fails_the_goal(live_server):
    from benchmarks import load
    from benchmarks.web import Latencies

    port = live_server.thread.port
    healthy = Latencies("/healthz", load.run_clients(port, [({}, ["/healthz"])] * 2, 0.5), 0.5)
    missing = Latencies("404", load.run_clients(port, [({}, ["/khong-co-trang-nay/"])], 0.3), 0.3)
    assert healthy.results and healthy.errors == 0
    assert missing.results and missing.errors == len(missing.results)
    assert load.page_result("trang", healthy, healthy).met is (healthy.p95 <= load.GOAL_P95_MS)
    assert load.page_result("trang", healthy, missing).met is False      # the baseline's errors count too
    assert load.page_result("trang", missing, healthy).met is False


def test_pages_measured_in_turn_each_get_every_round(live_server, monkeypatch):
    from benchmarks import load

    order = []
    real_run_clients = load.run_clients

    def recorded(port, clients, seconds):
        order.append(clients[0][1][0])
        return real_run_clients(port, clients, seconds)

    monkeypatch.setattr(load, "run_clients", recorded)
    healthy, missing = load.measure_in_turn(live_server.thread.port, [
        ("/healthz", [({}, ["/healthz"])]), ("404", [({}, ["/khong-co-trang-nay/"])])], 0.4, rounds=2)
    assert order == ["/healthz", "/khong-co-trang-nay/"] * 2
    assert healthy.results and healthy.errors == 0 and healthy.seconds == 0.4
    assert missing.results and missing.errors == len(missing.results)


def test_the_import_and_its_baseline_take_turns_and_keep_their_median_run(monkeypatch):
    runs = []
    seconds = iter([3.0, 1.0, 2.0, 9.0, 5.0, 4.0])     # in the order the runs happen

    def fake_timed(function):
        runs.append(function())
        return next(seconds), runs[-1]

    monkeypatch.setattr(history_import, "timed", fake_timed)
    result = history_import.in_turn(lambda: "ours", lambda: "library", pairs=3)
    assert runs == ["ours", "library", "library", "ours", "ours", "library"]
    # ours: 3,0 · 9,0 · 5,0 → 5,0; the library: 1,0 · 2,0 · 4,0 → 2,0
    assert result == (5.0, "ours", 2.0, "library")
