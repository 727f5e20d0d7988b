"""The explorer in a real browser: Debian's chromium, headless, driven by Playwright, with the network cut off.

Every request that is not a ``file:`` URL is aborted and counted (there must be none), and
a Content-Security-Policy violation or a page error fails the test. Skipped with a reason
when ``/usr/bin/chromium`` or the ``playwright`` package is missing, unless ``CI`` is set:
then it fails, so CI cannot pass without the browser. The screenshot is kept in
``test-artifacts/explorer.png``.

What a user does is checked as a user does it: typing a typo (``MSHA``) and finding the MASH,
switching a kind off and reading the counts, showing the bodies with no links, reading labels
at the first zoom, and downloading the picture and the CSV of what is shown.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from helpers import wait_until
from test_viz import big_page  # noqa: F401  (a session fixture: the 5,000-node page, rendered once)

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (apt-get install chromium; .ci/run does)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing (pip install playwright; it is in the test extra)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set, so the browser test must run: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Offline:
    """A page whose every non-``file:`` request is aborted and recorded, with its console errors."""

    def __init__(self, browser: Any) -> None:
        self.aborted: list[str] = []
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, service_workers="block",
                                           accept_downloads=True)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}")
                     if m.type in ("error", "warning") else None)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.aborted.append(route.request.url)
            route.abort()

    def open(self, path: Path, timeout_ms: int = 30_000) -> float:
        start = time.perf_counter()
        self.page.goto(path.as_uri(), timeout=timeout_ms)  # a shared, loaded machine loads a big page slowly
        self.page.wait_for_selector("body[data-ready=true]", timeout=timeout_ms)
        return time.perf_counter() - start

    def close(self) -> None:
        self.context.close()

    def assert_offline(self) -> None:
        assert self.aborted == [], f"requests to the network: {self.aborted}"
        assert all(u.startswith("file:") for u in self.requests), self.requests
        assert self.errors == [], self.errors


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _clickable_edge(page: Any, prefer: str | None = None) -> dict[str, Any]:
    """An edge whose rendered midpoint is inside the canvas and clear of every node (one touching ``prefer`` first)."""
    return page.evaluate("""(prefer) => {
      const cy = window.peelgraph.cy, w = cy.width(), h = cy.height();
      const nodes = [];
      cy.nodes(':visible').forEach(n => {
        const p = n.renderedPosition();
        if (p.x > -50 && p.y > -50 && p.x < w + 50 && p.y < h + 50) nodes.push([p, n.renderedWidth() / 2]);
      });
      const ok = [];
      cy.edges(':visible').forEach(e => {
        const m = e.renderedMidpoint();
        if (m.x < 20 || m.y < 20 || m.x > w - 20 || m.y > h - 20) return;
        if (nodes.some(([p, r]) => Math.hypot(p.x - m.x, p.y - m.y) < r + 12)) return;
        if (e.renderedBoundingBox().w + e.renderedBoundingBox().h < 40) return;
        const labels = [e.source().data('label'), e.target().data('label')];
        ok.push({id: e.id(), x: m.x, y: m.y, labels, score: prefer && labels.includes(prefer) ? 0 : 1});
      });
      ok.sort((a, b) => a.score - b.score);
      return ok[0] || null;
    }""", prefer)


def _edge_data(page: Any, edge_id: str) -> dict[str, Any]:
    """One edge of the page's data (fetching only it: the whole list of a big graph is slow to pass)."""
    return page.evaluate("(id) => window.peelgraph.data.edges.find(e => e.id === id)", edge_id)


def _click_on_canvas(page: Any, x: float, y: float) -> None:
    box = page.locator("#cy").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


@pytest.fixture(scope="module")
def explorer(db, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from peelgraph.show.explorer import render_html

    path = tmp_path_factory.mktemp("viz") / "explorer.html"
    path.write_text(render_html(db), encoding="utf-8")
    return path


def test_explorer_in_a_real_browser_offline(browser, db, explorer) -> None:
    from peelgraph.ask.network import load_view

    g = load_view(db, "partners")
    mash_label = "multi-agency safeguarding hub"
    tab = Offline(browser)
    try:
        page = tab.page
        tab.open(explorer)
        # every node of the view is rendered
        assert page.evaluate("window.peelgraph.cy.nodes().length") == g.number_of_nodes()
        assert page.evaluate("window.peelgraph.cy.edges().length") == g.number_of_edges()
        assert f"{g.number_of_nodes()} nodes" in page.inner_text("#stats")
        assert page.locator("#legend li").count() == len({d["kind"] for _, d in g.nodes(data=True)})

        # search finds the MASH by its acronym, and a click on the result shows its findings
        page.fill("#search", "MASH")
        first = page.locator("#results li[data-id]").first
        first.wait_for(timeout=5000)
        assert mash_label in first.inner_text()
        first.click()
        wait_until(page, "document.querySelector('#details h3') !== null", timeout=30)
        assert page.inner_text("#details h3") == mash_label
        assert "Findings about it" in page.inner_text("#details")
        page.wait_for_timeout(400)  # the centring animation

        # a click on an edge (on the canvas) shows its relation and quote with its section
        edge = _clickable_edge(page, prefer=mash_label)
        assert edge, "no edge is clear of nodes on screen"
        data = _edge_data(page, edge["id"])
        _click_on_canvas(page, edge["x"], edge["y"])
        wait_until(page, "document.querySelector('#details blockquote') !== null", timeout=5)
        details = _norm(page.inner_text("#details"))
        assert _norm(data["evidence"][0]["quote"]) in details
        assert data["relation"].split(",")[0] in details
        if data["evidence"][0]["section"]:
            assert _norm(data["evidence"][0]["section"]) in details
        assert page.evaluate(f"window.peelgraph.cy.getElementById('{edge['id']}').selected()")

        # filters by kind hide and show nodes
        kind = page.locator("#legend li").first
        name = kind.get_attribute("data-kind")
        kind.click()
        hidden = page.evaluate("window.peelgraph.cy.nodes('.hidden').length")
        assert hidden == sum(1 for _, d in g.nodes(data=True) if d["kind"] == name)
        kind.click()
        assert page.evaluate("window.peelgraph.cy.nodes('.hidden').length") == 0

        # the whole network, the edge still selected ("; null": never let Playwright serialise the cy object)
        page.evaluate("window.peelgraph.cy.fit(undefined, 30); null")
        page.wait_for_timeout(200)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "explorer.png"))
        tab.assert_offline()
    finally:
        tab.close()


def test_5000_nodes_stay_responsive(browser, tmp_path, big_page) -> None:  # noqa: F811
    g, html, _ = big_page
    path = tmp_path / "big.html"
    path.write_text(html, encoding="utf-8")
    tab = Offline(browser)
    try:
        page = tab.page
        loaded = tab.open(path, timeout_ms=120_000)
        assert page.evaluate("window.peelgraph.cy.nodes().length") == 5000

        start = time.perf_counter()
        page.fill("#search", "MASH")
        first = page.locator("#results li[data-id]").first
        first.wait_for(timeout=10_000)
        assert "multi-agency safeguarding hub" in first.inner_text()
        searched = time.perf_counter() - start

        page.evaluate("window.peelgraph.cy.zoom(2); window.peelgraph.cy.center(window.peelgraph.cy.nodes()[0]); null")
        edge = _clickable_edge(page)
        assert edge
        quote = _edge_data(page, edge["id"])
        start = time.perf_counter()
        _click_on_canvas(page, edge["x"], edge["y"])
        wait_until(page, "document.querySelector('#details blockquote') !== null", timeout=10)
        clicked = time.perf_counter() - start
        # in a dense graph the click may land on a neighbouring edge: whichever is selected, its quote is shown
        chosen = page.evaluate("window.peelgraph.cy.edges(':selected').map(e => e.id())")
        assert len(chosen) == 1
        if chosen[0] != edge["id"]:
            quote = _edge_data(page, chosen[0])
        assert _norm(quote["evidence"][0]["quote"]) in _norm(page.inner_text("#details"))

        start = time.perf_counter()
        for _ in range(5):  # pan and zoom: frames must keep coming
            page.mouse.wheel(0, -300)
            page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        zoomed = time.perf_counter() - start
        print(f"\n5,000 nodes: load {loaded:.2f} s, search {searched:.2f} s, edge click {clicked:.2f} s, "
              f"5 zooms {zoomed:.2f} s")
        # no bound on the times: speed belongs to benchmarks, not to a test a loaded machine can fail
        # (printed with -s; the page must load, search, show evidence and keep drawing frames)
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "explorer-5000.png"))
        tab.assert_offline()
    finally:
        tab.close()


def test_the_offline_check_would_catch_a_fetch(browser, tmp_path) -> None:
    """The guard itself works: a page that tries to load a remote script is caught."""
    if shutil.which("true") is None:  # pragma: no cover
        pytest.skip("no shell tools")
    path = tmp_path / "leaky.html"
    path.write_text('<!DOCTYPE html><html><body data-ready="true"><img src="https://example.org/x.png">'
                    "</body></html>", encoding="utf-8")
    tab = Offline(browser)
    try:
        tab.open(path)
        tab.page.wait_for_timeout(300)
        assert tab.aborted == ["https://example.org/x.png"]
        with pytest.raises(AssertionError):
            tab.assert_offline()
    finally:
        tab.close()


# --------------------------------------------------------------------------- polish: search, counts, labels, downloads

_VISIBLE = "window.peelgraph.cy.nodes(':visible').length"


def _visible(page: Any, expected: int) -> int:
    """The number of nodes Cytoscape draws, once it has settled on ``expected`` (its ``:visible``
    can lag a style change by a frame under load) or after 5 s, whichever comes first."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):  # the assertion that follows reports the number shown
        wait_until(page, f"{_VISIBLE} === {expected}", timeout=5)
    return int(page.evaluate(_VISIBLE))


def _alone(g: nx.Graph) -> set[str]:
    return set(nx.isolates(g))


def test_search_forgives_typos(browser, db, explorer) -> None:
    """``MSHA`` (what the CLI answers with "did you mean 'MASH'?") finds the MASH first; a misspelt
    word of a long name finds it; nonsense finds nothing."""
    tab = Offline(browser)
    try:
        page = tab.page
        tab.open(explorer)
        for typed, label in (("MSHA", "multi-agency safeguarding hub"), ("mash", "multi-agency safeguarding hub"),
                             ("safegarding", "multi-agency safeguarding hub"),
                             ("Warwickshire Polce", "Warwickshire Police")):
            page.fill("#search", typed)
            first = page.locator("#results li[data-id]").first
            first.wait_for(timeout=5000)
            assert label in first.inner_text(), (typed, page.locator("#results li").all_inner_texts()[:5])
        page.fill("#search", "zzqx")
        wait_until(page, "document.querySelector('#results li.none') !== null", timeout=5)
        assert page.locator("#results li[data-id]").count() == 0
        page.fill("#search", "MSHA")
        page.press("#search", "Enter")
        wait_until(page, "document.querySelector('#details h3') !== null", timeout=5)
        assert page.inner_text("#details h3") == "multi-agency safeguarding hub"
        tab.assert_offline()
    finally:
        tab.close()


def test_counts_follow_the_filters_and_unlinked_bodies_are_collapsed(browser, db, explorer) -> None:
    from peelgraph.ask.network import load_view

    g = load_view(db, "partners")
    alone = _alone(g)
    n, m = g.number_of_nodes(), g.number_of_edges()
    kinds = {d["kind"] for _, d in g.nodes(data=True)}
    # the kind whose removal takes away the most links
    def links_of(k: str) -> int:
        return sum(1 for u, v in g.edges() if k in (g.nodes[u]["kind"], g.nodes[v]["kind"]))

    kind = max(sorted(kinds), key=links_of)
    keep = [x for x in g if g.nodes[x]["kind"] != kind]
    tab = Offline(browser)
    try:
        page = tab.page
        tab.open(explorer)
        # at first the bodies with no links are collapsed: the counts say so
        assert _visible(page, n - len(alone)) == n - len(alone)
        assert _norm(page.inner_text("#stats")) == f"partners view: {n - len(alone)} of {n} nodes, {m} links"
        assert f"Show the {len(alone)} bodies with no links" in page.inner_text("#unlinked-box")
        counts = {li.get_attribute("data-kind"): int(li.locator(".count").inner_text())
                  for li in page.locator("#legend li").all()}
        assert counts == {k: sum(1 for x in g if g.nodes[x]["kind"] == k and x not in alone) for k in kinds}

        # a kind switched off: nodes and links both counted without it
        page.click(f"#legend li[data-kind='{kind}']")
        shown = [x for x in keep if x not in alone]
        links = g.subgraph(keep).number_of_edges()
        assert links < m
        assert _norm(page.inner_text("#stats")) == f"partners view: {len(shown)} of {n} nodes, {links} of {m} links"

        # the toggle shows the bodies with no links, and hides them again
        page.check("#unlinked")
        assert _visible(page, len(keep)) == len(keep)
        assert _norm(page.inner_text("#stats")) == f"partners view: {len(keep)} of {n} nodes, {links} of {m} links"
        page.click(f"#legend li[data-kind='{kind}']")
        assert _visible(page, n) == n
        assert _norm(page.inner_text("#stats")) == f"partners view: {n} nodes, {m} links"
        page.uncheck("#unlinked")
        assert _visible(page, n - len(alone)) == n - len(alone)

        # finding a body with no links brings it (and the others) back into view
        lonely = sorted(alone)[0]
        page.fill("#search", g.nodes[lonely]["label"])
        page.locator(f"#results li[data-id]:has-text({g.nodes[lonely]['label']!r})").first.click()
        wait_until(page, "document.querySelector('#details h3') !== null", timeout=5)
        assert page.is_checked("#unlinked") and _visible(page, n) == n
        tab.assert_offline()
    finally:
        tab.close()


_LABELS = """(zoom) => {
  const cy = window.peelgraph.cy, minimum = 6;
  if (zoom) cy.zoom(zoom);
  const z = cy.zoom(), boxes = [];
  cy.nodes(':visible').forEach(n => {
    if (n.hasClass('quiet') || 10 * z < minimum) return;
    const b = n.renderedBoundingBox({includeNodes: false, includeEdges: false, includeLabels: true});
    boxes.push([n.data('label'), b.x1, b.y1, b.x2, b.y2]);
  });
  return {zoom: z, shown: cy.nodes(':visible').length, boxes};
}"""


def _clashes(boxes: list[list[Any]]) -> list[tuple[str, str]]:
    return [(a[0], b[0]) for a, b in itertools.combinations(boxes, 2)
            if min(a[3], b[3]) - max(a[1], b[1]) > 0.5 and min(a[4], b[4]) - max(a[2], b[2]) > 0.5]


@pytest.mark.parametrize("view", ["partners", "all"])
def test_labels_do_not_collide(browser, db, tmp_path, view) -> None:
    """At the first zoom (the partners view is drawn with its labels readable) and at 100%, no two
    drawn labels overlap, and at least 90% of the nodes shown have their label drawn."""
    from peelgraph.show.explorer import render_html

    path = tmp_path / f"{view}.html"
    path.write_text(render_html(db, view=view), encoding="utf-8")
    tab = Offline(browser)
    try:
        page = tab.page
        tab.open(path)
        first = page.evaluate(_LABELS, None)
        if view == "partners":
            assert first["zoom"] * 10 >= 6, "labels too small to be drawn at the first zoom"
            assert len(first["boxes"]) >= 0.9 * first["shown"], f"{len(first['boxes'])} of {first['shown']} drawn"
        assert _clashes(first["boxes"]) == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"explorer-{view}-first-zoom.png"))
        full = page.evaluate(_LABELS, 1.0)
        assert len(full["boxes"]) >= 0.9 * full["shown"], f"{len(full['boxes'])} of {full['shown']} drawn"
        assert _clashes(full["boxes"]) == []
        tab.assert_offline()
    finally:
        tab.close()


def _download(page: Any, button: str) -> tuple[str, bytes]:
    with page.expect_download(timeout=10_000) as info:
        page.click(button)
    d = info.value
    return d.suggested_filename, Path(d.path()).read_bytes()


def test_the_shown_view_downloads_as_png_and_csv(browser, db, explorer) -> None:
    import csv
    import io

    from PIL import Image

    from peelgraph.ask.network import load_view

    g = load_view(db, "partners")
    alone = _alone(g)
    tab = Offline(browser)
    try:
        page = tab.page
        tab.open(explorer)
        name, png = _download(page, "#export-png")
        assert name == "partners.png" and png.startswith(b"\x89PNG\r\n\x1a\n")
        img = Image.open(io.BytesIO(png))
        assert img.size[0] > 500 and img.size[1] > 300 and len(img.getcolors(1 << 20) or []) > 10

        name, data = _download(page, "#export-nodes")
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
        assert name == "partners.nodes.csv"
        assert {r["Id"] for r in rows} == set(g) - alone
        for r in rows:
            assert r["Label"] == g.nodes[r["Id"]]["label"] and r["kind"] == g.nodes[r["Id"]]["kind"]
            assert int(r["degree"]) == g.degree(r["Id"])

        name, data = _download(page, "#export-edges")
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
        assert name == "partners.edges.csv"
        assert {tuple(sorted((r["Source"], r["Target"]))) for r in rows} == {tuple(sorted(e)) for e in g.edges()}
        quoted = next(r for r in rows if r["quotes"])
        ev = g.edges[quoted["Source"], quoted["Target"]]["evidence"]
        assert _norm(ev[0]["quote"]) in quoted["quotes"] and int(quoted["evidence_count"]) == len(ev)

        # what is shown, not the whole view: a kind switched off leaves the CSV too
        kind = g.nodes[rows[0]["Source"]]["kind"]
        page.click(f"#legend li[data-kind='{kind}']")
        _, data = _download(page, "#export-nodes")
        ids = {r["Id"] for r in csv.DictReader(io.StringIO(data.decode("utf-8"), newline=""))}
        assert ids == {x for x in g if x not in alone and g.nodes[x]["kind"] != kind}
        _, data = _download(page, "#export-edges")
        assert len(list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))) == \
            g.subgraph([x for x in g if g.nodes[x]["kind"] != kind]).number_of_edges()
        tab.assert_offline()
    finally:
        tab.close()
