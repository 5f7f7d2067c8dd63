"""The emulator's renderer under a page's load: thumbnails cold and warm, cached answers, a cold resize
against Pillow's own, and memory over many distinct variants.

    python bench/bench_render.py [--images 50] [--variants 10000] [--rounds 7]

Prints medians. The emulator runs in this process (LocalImageKit) and is reached over loopback HTTP
with a pooled session; the page is fetched by 6 threads, as a browser fetches images.
"""
import argparse
import http.client
import io
import os
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import requests
from PIL import Image, ImageDraw

from imagekitio.testing import LocalImageKit
from imagekitio.testing.render import Renderer

THUMB = "tr:w-300,h-200,f-jpg"


def photo(seed, size=(4000, 3000)):
    """A 12-megapixel JPEG with smooth gradients and shapes (compresses like a photo, not like noise)."""
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(image)
    for i in range(12):
        x, y = (seed * 97 + i * 331) % size[0], (seed * 53 + i * 199) % size[1]
        draw.ellipse((x, y, x + 600, y + 450), fill=((seed * 40 + i * 20) % 256, (i * 70) % 256, (seed * 13) % 256))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def rss_mb():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20


def page(session, urls):
    started = time.perf_counter()
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda u: session.get(u, timeout=60), urls))
    assert all(a.status_code == 200 and a.headers["Content-Type"] == "image/jpeg" for a in answers)
    return time.perf_counter() - started


def pillow_baseline(data):
    image = Image.open(io.BytesIO(data))
    image.draft("RGB", (400, 300))
    small = image.convert("RGB").resize((400, 300), Image.LANCZOS)
    out = io.BytesIO()
    small.save(out, "JPEG", quality=80)
    return out.getvalue()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--images", type=int, default=50)
    ap.add_argument("--variants", type=int, default=10000)
    ap.add_argument("--rounds", type=int, default=7)
    opts = ap.parse_args()
    print(f"making {opts.images} 4000x3000 JPEGs ...")
    photos = [photo(i) for i in range(opts.images)]
    with LocalImageKit() as server, server.client() as client, requests.Session() as session:
        paths = [client.upload_file(data, f"photo{i}.jpg", options={"use_unique_file_name": False}).file_path
                 for i, data in enumerate(photos)]
        urls = [f"{server.url_endpoint}/{THUMB}{path}" for path in paths]

        # 1. a page of 50 thumbnails, cold (nothing rendered or decoded yet) and warm (all cached)
        cold, warm = [], []
        for _ in range(max(1, opts.rounds // 2)):
            server.renderer.clear()
            cold.append(page(session, urls))
            warm.append(page(session, urls))
        print(f"page of {len(urls)} thumbnails: cold {statistics.median(cold) * 1000:7.0f} ms, "
              f"warm {statistics.median(warm) * 1000:7.1f} ms")

        # 2. one cached variant, sequential requests on a kept-alive connection (http.client: the figure is
        # the emulator's answer, not the client library's own overhead); a health check is the floor
        connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
        target = urlsplit(urls[0]).path
        for label, where in (("health check (HTTP floor)", "/_emulator/health"), ("cached variant", target)):
            times = []
            for _ in range(500):
                started = time.perf_counter()
                connection.request("GET", where)
                answer = connection.getresponse()
                answer.read()
                times.append(time.perf_counter() - started)
                assert answer.status == 200 and (where != target or answer.getheader("X-Emulator-Cache") == "hit")
            print(f"{label}: median {statistics.median(times) * 1000:.2f} ms")
        connection.close()

        # 3. a cold 4000x3000 → 400-wide JPEG: the renderer against Pillow's own decode-draft-resize-encode
        found = server.store.served(paths[0])
        renderer = Renderer()
        ours, theirs = [], []
        for _ in range(opts.rounds):
            renderer.clear()
            started = time.perf_counter()
            answer = renderer.deliver(paths[0], "w-400,f-jpg", {}, lambda p: found, lambda n: None, lambda r: None)
            ours.append(time.perf_counter() - started)
            assert answer.status == 200 and Image.open(io.BytesIO(answer.body)).size == (400, 300)
            started = time.perf_counter()
            pillow_baseline(photos[0])
            theirs.append(time.perf_counter() - started)
        ratio = statistics.median(ours) / statistics.median(theirs)
        print(f"cold 4000x3000 -> 400w JPEG: renderer {statistics.median(ours) * 1000:.1f} ms, "
              f"Pillow {statistics.median(theirs) * 1000:.1f} ms ({ratio:.2f}x)")

    # 4. memory over many distinct variants: the variant cache fills to its byte limit, then nothing grows
    small = io.BytesIO()
    Image.effect_noise((640, 480), 40).convert("RGB").save(small, "JPEG")  # noise: variants of tens of KB
    with LocalImageKit() as server, server.client() as client:
        path = client.upload_file(small.getvalue(), "small.jpg").file_path
        found = server.store.served(path)
        renderer = Renderer(cache_bytes=8 * 2 ** 20)
        marks = []
        started = time.perf_counter()
        for i in range(opts.variants):
            answer = renderer.deliver(path, f"w-{100 + i % 400},h-{100 + i // 400},f-jpg", {}, lambda p: found,
                                      lambda n: None, lambda r: None)
            assert answer.status == 200
            if (i + 1) % max(1, opts.variants // 10) == 0:
                marks.append((i + 1, rss_mb(), renderer.variants.bytes / 2 ** 20, len(renderer.variants)))
        elapsed = time.perf_counter() - started
        for count, rss, cached, kept in marks:
            print(f"after {count:6d} variants: RSS {rss:6.1f} MB, variant cache {cached:5.2f} MB ({kept} kept)")
        print(f"{opts.variants} distinct variants rendered in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
