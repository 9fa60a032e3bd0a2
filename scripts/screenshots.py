"""Screenshots of the HTML view for the README: the first screen and one entity's panel.

    python scripts/screenshots.py --db seed.db --out docs/images/seed --entity "Dmitry Peskov"

writes ``OUT-view.png`` and ``OUT-panel.png`` (1280x800, headless Chromium through selenium,
both from the ``test`` extra and ``scripts/install-system-packages.sh``) and prints what the
first screen showed. The page itself is made as ``claimgraph html`` makes it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

from claimgraph.exports.html import write_html
from claimgraph.graph import GraphStore
from claimgraph.graph.network import to_networkx

FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--hide-scrollbars", "--force-device-scale-factor=1")  # fmt: skip


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="graph store folder")
    parser.add_argument("--out", type=Path, required=True, help="PNG path prefix")
    parser.add_argument("--entity", help="entity whose panel to show (default: the top one)")
    parser.add_argument("--title", default="claimgraph")
    args = parser.parse_args(argv)
    browser = shutil.which("chromium") or shutil.which("google-chrome")
    driver_path = shutil.which("chromedriver")
    if browser is None or driver_path is None:
        sys.stderr.write("error: chromium and chromedriver are needed\n")
        return 2
    work = Path(tempfile.mkdtemp(prefix="cg-shots-"))
    with GraphStore.open(args.db, read_only=True) as store:
        written = write_html(to_networkx(store), work / "view.html", title=args.title)
    options = Options()
    options.binary_location = browser
    for flag in (*FLAGS, f"--user-data-dir={work / 'profile'}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        driver.set_window_size(1280, 800)
        driver.get((work / "view.html").as_uri())
        deadline = time.monotonic() + 120
        while not driver.execute_script("return window.cgReady === true"):
            if time.monotonic() > deadline:
                raise TimeoutError("the page never finished laying out")
            time.sleep(0.2)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(f"{args.out}-view.png")
        shown = driver.execute_script(
            "return {entities: cgNodes.length, links: cgEdges.length,"
            " smallest_label_px: Math.min.apply(null, cgLabelPx())};"
        )
        driver.execute_script(
            """var wanted = arguments[0];
            var n = cgData.nodes.find(function (x) { return x.label === wanted; })
                || cgData.nodes[0];
            cgNetwork.selectNodes([n.id]);
            cgNetwork.focus(n.id, {scale: Math.max(cgNetwork.getScale(), 1), animation: false});
            cgNetwork.body.emitter.emit('click', {nodes: [n.id], edges: []});""",
            args.entity or "",
        )
        time.sleep(0.3)
        driver.save_screenshot(f"{args.out}-panel.png")
    finally:
        driver.quit()
        shutil.rmtree(work, ignore_errors=True)
    kept = {k: v for k, v in written.items() if k != "path"}
    sys.stdout.write(json.dumps({**kept, "drawn": shown}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
