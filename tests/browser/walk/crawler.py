"""Walk one role breadth-first from the home page, holding every page to the bar of ``checks``.

The browser opens each page (status, console errors, uncaught exceptions, axe-core, visible
text, privacy, screenshot). Every same-origin link, form action and htmx URL on it is requested
once with the user's own session (a Django test client carrying the browser's session cookie),
cached per role; a second request of the page itself gives its exact HTML size and warm server
time. The walk never opens sign-out or destructive pages (delete/remove/confirm) in the browser
and never submits a form: a destructive link or a form action is only checked with one GET
(which every view here answers without writing; POST-only views answer 405). Patterns not yet
walked go first, so a bounded walk still opens one page of every pattern it can reach.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client

from tests.browser.walk import checks
from tests.browser.walk.checks import Failure
from tests.browser.walk.trust import PupilIdentifiers
from tests.browser.walk.urlconf import is_destructive, pattern_of

LOGIN = "/accounts/login/"
SKIPPED_PREFIXES = ("/static/", "/media/")
SHOT_MAX_HEIGHT = 6000
#: Every link, form action and htmx URL on the page, resolved against the document.
LINKS_JS = """() => {
  const out = [];
  const add = (kind, raw) => {
    if (raw === null || raw === '' || /^(mailto|tel|javascript):/i.test(raw)) return;
    try { out.push([kind, new URL(raw, document.baseURI).href]); } catch (e) {}
  };
  document.querySelectorAll('a[href], area[href]').forEach(a => add('link', a.getAttribute('href')));
  document.querySelectorAll('form[action]').forEach(f =>
    add('form ' + (f.getAttribute('method') || 'get').toLowerCase(), f.getAttribute('action')));
  document.querySelectorAll('[hx-get], [hx-post]').forEach(e =>
    add('htmx', e.getAttribute('hx-get') || e.getAttribute('hx-post')));
  return out;
}"""


@dataclass(frozen=True)
class LinkResult:
    """What the user gets from one URL (after redirects)."""

    status: int
    content_type: str
    final: str

    @property
    def dead(self) -> bool:
        return self.status in (403, 404) or self.status >= 500 or self.final.endswith("/login/")

    @property
    def walkable(self) -> bool:
        return self.status == 200 and self.content_type.startswith("text/html")


class UserRequests:
    """Requests made with the browser's own session, so they see exactly what the user sees."""

    def __init__(self, session_key: str) -> None:
        self.client = Client(raise_request_exception=False)
        self.client.cookies[settings.SESSION_COOKIE_NAME] = session_key
        self.cache: dict[str, LinkResult] = {}

    def check(self, path: str) -> LinkResult:
        if path not in self.cache:
            response = self.client.get(path, follow=True)
            chain = getattr(response, "redirect_chain", [])
            final = urlsplit(chain[-1][0]).path if chain else path
            self.cache[path] = LinkResult(
                response.status_code, response.get("Content-Type", ""), final
            )
            response.close()
        return self.cache[path]

    def timed(self, path: str) -> tuple[int, float]:
        """Exact HTML bytes and server milliseconds of one (warm) request."""
        started = time.perf_counter()
        response = self.client.get(path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        elapsed = (time.perf_counter() - started) * 1000
        response.close()
        return len(body), round(elapsed, 1)


@dataclass
class PageRecord:
    url: str
    pattern: str
    depth: int
    final: str = ""
    status: int | None = None
    load_ms: float = 0.0
    server_ms: float | None = None
    server_ms_retry: float | None = None
    html_bytes: int | None = None
    links: int = 0
    screenshot: str = ""
    seconds: float = 0.0  #: the walk's own time on the page (browser, checks, link requests)
    phases: dict[str, float] = field(default_factory=dict)  #: seconds per step of the walk
    axe: list[dict] = field(default_factory=list)
    axe_contrast: bool = (
        False  #: whether color-contrast ran (first page of its pattern in the walk)
    )
    links_unchecked: int = 0  #: links left out by the per-pattern sample (see Walker)
    screenshot_clipped: bool = False
    problems: int = 0


@dataclass
class Walk:
    """Everything one role's walk saw."""

    role: str
    pages: list[PageRecord] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    #: pattern -> how the walk met it without walking it ("form post", "htmx", "404"...)
    met: dict[str, set[str]] = field(default_factory=dict)
    #: patterns with a page still waiting when the walk stopped (the page bound was reached)
    waiting: set[str] = field(default_factory=set)
    link_checks: int = 0
    seconds: float = 0.0


class Walker:
    """Breadth-first walk of one signed-in role (``page`` is a Playwright page, signed in)."""

    def __init__(self, role: str, page, base_url: str, shots: Path, **options) -> None:
        self.role, self.page, self.base, self.shots = role, page, base_url.rstrip("/"), shots
        self.max_pages: int = options.get("max_pages", 80)
        self.per_pattern: int = options.get("per_pattern", 3)
        self.pupils: PupilIdentifiers | None = options.get("pupils")
        self.link_sample: int = options.get("link_sample", 0)
        #: patterns whose colour contrast was checked (shared by the roles of one walk)
        self.contrast_checked: set[str] = options.get("contrast_checked", set())
        self.requests = UserRequests(_session_key(page))
        self.walk = Walk(role)
        self.frontier: list[tuple[int, int, str, str]] = []  #: depth, order, path, pattern
        self.queued: set[str] = set()
        self.walked: dict[str, int] = {}
        self.console: list[str] = []
        self.errors: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.console.append(_console_line(m)))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def run(self, start: str = "/") -> Walk:
        started = time.perf_counter()
        self._enqueue(start, 0)
        while len(self.walk.pages) < self.max_pages and (chosen := self._next()):
            self._visit(*chosen)
        self.walk.waiting = self.queued_patterns()
        self.walk.link_checks = len(self.requests.cache)
        self.walk.seconds = round(time.perf_counter() - started, 1)
        return self.walk

    def _enqueue(self, path: str, depth: int) -> None:
        if path not in self.queued:
            self.queued.add(path)
            self.frontier.append((depth, len(self.queued), path, pattern_of(path)))

    def _next(self) -> tuple[str, int] | None:
        """Breadth-first, but a pattern not walked yet goes before more of one already walked."""
        open_ = [f for f in self.frontier if self.walked.get(f[3], 0) < self.per_pattern]
        if not open_:
            return None
        chosen = min(open_, key=lambda f: (f[3] in self.walked, f[0], f[1]))
        self.frontier.remove(chosen)
        return chosen[2], chosen[0]

    def queued_patterns(self) -> set[str]:
        """Patterns with a page waiting in the frontier when the walk stopped."""
        return {f[3] for f in self.frontier}

    def _fail(self, kind: str, url: str, detail: str, record: PageRecord, key: str = "") -> None:
        self.walk.failures.append(Failure(kind, self.role, url, detail, key))
        if record is not None:
            record.problems += 1

    def _visit(self, path: str, depth: int) -> None:
        started = time.perf_counter()
        record = PageRecord(path, pattern_of(path), depth)
        self.walk.pages.append(record)
        self.walked[record.pattern] = self.walked.get(record.pattern, 0) + 1
        self.console.clear()
        self.errors.clear()
        if self._timed(record, "open", self._open, record):
            self._timed(record, "inspect", self._inspect, record)
            self._timed(record, "links", self._links, record)
            self._timed(record, "measure", self._measure, record)
        self._timed(record, "screenshot", self._shoot, record)
        for line in self.console:
            self._fail("console error", record.url, line, record)
        for line in self.errors:
            self._fail("uncaught exception", record.url, line, record)
        record.seconds = round(time.perf_counter() - started, 2)

    @staticmethod
    def _timed(record: PageRecord, phase: str, step, *args):
        started = time.perf_counter()
        try:
            return step(*args)
        finally:
            record.phases[phase] = round(time.perf_counter() - started, 3)

    def _open(self, record: PageRecord) -> bool:
        from playwright.sync_api import Error as PlaywrightError

        started = time.perf_counter()
        try:
            response = self.page.goto(self.base + record.url, wait_until="load")
        except PlaywrightError as error:
            self._fail("navigation", record.url, error.message.splitlines()[0], record)
            return False
        record.load_ms = round((time.perf_counter() - started) * 1000, 1)
        record.status = response.status if response else None
        record.final = _path(self.page.url)
        self.queued.add(record.final)
        if record.final.startswith(LOGIN) and not record.url.startswith(LOGIN):
            self._fail("status", record.url, "redirected to the sign-in page", record)
            return False
        if record.status != 200:
            self._fail("status", record.url, f"status {record.status}", record)
        return record.status == 200

    def _inspect(self, record: PageRecord) -> None:
        text = self.page.inner_text("body")
        for key, detail in checks.text_problems(text):
            self._fail("visible text", record.url, detail, record, key)
        if self.pupils is not None:
            leaked = self.pupils.found_in(self.page.content())
            if leaked:
                detail = f"{len(leaked)} pupil identifiers, e.g. {', '.join(leaked[:5])}"
                self._fail(
                    "pupil data", record.url, detail, record, "pupil identifiers on the page"
                )
        started = time.perf_counter()
        record.axe_contrast = record.pattern not in self.contrast_checked
        self.contrast_checked.add(record.pattern)
        lines, record.axe = checks.axe_problems(self.page, record.axe_contrast)
        record.phases["axe"] = round(time.perf_counter() - started, 3)
        for key, detail in lines:
            self._fail("axe-core", record.url, detail, record, key)

    def _links(self, record: PageRecord) -> None:
        origin = urlsplit(self.base).netloc
        targets: dict[str, str] = {}  #: path -> the first kind of reference to it on the page
        for kind, href in self.page.evaluate(LINKS_JS):
            parts = urlsplit(href)
            if parts.netloc == origin and not parts.path.startswith(SKIPPED_PREFIXES):
                targets.setdefault(_path(href), kind)
        record.links = len(targets)
        chosen = self._sample(targets)
        record.links_unchecked = len(targets) - len(chosen)
        for target in chosen:
            self._check_link(record, target, targets[target])

    def _sample(self, targets: dict[str, str]) -> list[str]:
        """Every target, except that of more than ``link_sample`` new (uncached) targets of one
        pattern on a page (fifty pupils of a list page) an evenly spread sample is requested,
        first and last included. ``link_sample=0`` requests every one."""
        by_pattern: dict[str, list[str]] = {}
        for target in targets:
            if target not in self.requests.cache:
                by_pattern.setdefault(pattern_of(target), []).append(target)
        chosen = [t for t in targets if t in self.requests.cache]
        for group in by_pattern.values():
            n, k = len(group), self.link_sample
            if not k or n <= k:
                chosen += group
            else:
                chosen += [group[round(i * (n - 1) / (k - 1))] for i in range(k)]
        return chosen

    def _check_link(self, record: PageRecord, target: str, kind: str) -> None:
        if target.startswith("/accounts/logout/"):
            return
        result = self.requests.check(target)
        if result.dead:
            lands = f", lands on {result.final}" if result.final != target.split("?")[0] else ""
            detail = f"{kind} to {target} gets {result.status}{lands}"
            self._fail("dead link", record.url, detail, record)
        if kind == "link" and result.walkable and not result.dead and not is_destructive(target):
            self._enqueue(target, record.depth + 1)
        else:
            how = str(result.status) if result.dead else kind
            self.walk.met.setdefault(pattern_of(target), set()).add(how)

    def _measure(self, record: PageRecord) -> None:
        path = record.final or record.url
        record.html_bytes, record.server_ms = self.requests.timed(path)
        problems = checks.budget_problems(record.html_bytes, record.server_ms)
        if any(kind == "server time" for kind, _ in problems):  # one retry: a shared machine
            _, record.server_ms_retry = self.requests.timed(path)
            if record.server_ms_retry <= checks.SERVER_BUDGET_MS:
                problems = [p for p in problems if p[0] != "server time"]
        for kind, detail in problems:
            self._fail(kind, record.url, detail, record, f"over the {kind} budget")

    def _shoot(self, record: PageRecord) -> None:
        """A JPEG of the page, full length up to ``SHOT_MAX_HEIGHT`` pixels."""
        name = re.sub(r"[^a-z0-9]+", "-", record.url.lower()).strip("-")[:90] or "home"
        target = self.shots / self.role / f"{len(self.walk.pages):03d}-{name}.jpg"
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            height = self.page.evaluate("document.documentElement.scrollHeight")
            width = self.page.viewport_size["width"]
            record.screenshot_clipped = height > SHOT_MAX_HEIGHT
            clip = {"x": 0, "y": 0, "width": width, "height": min(height, SHOT_MAX_HEIGHT)}
            self.page.screenshot(
                path=str(target), full_page=True, clip=clip, type="jpeg", quality=70
            )
        except Exception as error:  # noqa: BLE001 - a page that cannot be captured is a finding
            self._fail("screenshot", record.url, str(error).splitlines()[0], record)
            return
        record.screenshot = str(target.relative_to(self.shots))


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _session_key(page) -> str:
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    return cookies[settings.SESSION_COOKIE_NAME]


def _console_line(message) -> str:
    where = message.location.get("url", "") if message.location else ""
    return f"{message.text[:200]}" + (f" ({_path(where)})" if where else "")
