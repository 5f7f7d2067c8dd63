"""The media-library page in a real headless Chromium: load it, upload by drag and drop and through the file
input, see the thumbnails the emulator renders, preview a transformation, search, and find file data shown
as text, never as markup."""
import base64
import io

import pytest

from imagekitio.testing import LocalImageKit

pytest.importorskip("PIL")
from PIL import Image  # noqa: E402

WAIT = 15


def png_bytes(width, height, colour):
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def server():
    with LocalImageKit() as running:
        yield running


def wait(driver, condition, message):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, WAIT).until(lambda d: condition(d), message)


def loaded_thumbnail(driver, name_part):
    """The natural width of the grid thumbnail of the file whose name contains ``name_part`` (0 while loading)."""
    return driver.execute_script("""
        for (const tile of document.querySelectorAll('#grid .tile')) {
          if (tile.querySelector('.name').textContent.includes(arguments[0])) {
            const img = tile.querySelector('img');
            return img && img.complete ? img.naturalWidth : 0;
          }
        }
        return 0;""", name_part)


DROP = """
const [name, b64, done] = arguments;
const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
const transfer = new DataTransfer();
transfer.items.add(new File([bytes], name, {type: 'image/png'}));
const zone = document.getElementById('dropzone');
zone.dispatchEvent(new DragEvent('dragover', {dataTransfer: transfer, bubbles: true, cancelable: true}));
zone.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));
done();
"""


def test_drop_upload_thumbnail_preview_and_search(chromium, server, tmp_path):
    from selenium.webdriver.common.by import By
    driver = chromium
    server.client().create_folder({"folder_name": "shots", "parent_folder_path": "/"})
    driver.get(server.base_url + "/_emulator/?folder=/shots/")
    assert "ImageKit emulator" in driver.title
    assert driver.find_element(By.ID, "heading").text == "/shots/"

    # 1. Drag and drop: a synthetic drop event carrying a File, as a user's drop does.
    driver.execute_async_script(DROP, "dropped.png", base64.b64encode(png_bytes(640, 480, (200, 30, 30))).decode())
    wait(driver, lambda d: "file=" in d.current_url, "the page did not open the uploaded file")
    wait(driver, lambda d: loaded_thumbnail(d, "dropped") > 0, "the dropped file's thumbnail did not load")
    uploaded = server.client().list_files().list
    assert [(f.name.startswith("dropped"), f.file_path.startswith("/shots/")) for f in uploaded] == [(True, True)]
    # The browser-upload flow: token, expire and signature from the page's auth endpoint, then the upload API.
    sent = [f"{m} {p}" for m, p in server.requests]
    assert sent.index("POST /_emulator/upload-auth") < sent.index("POST /api/v1/files/upload")
    assert any(m == "GET" and "/tr:w-200,h-200" in p and "dropped" in p for m, p in server.requests)
    # Rendered by the emulator: 640x480 at most 200x200 (c-at_max keeps the ratio).
    assert loaded_thumbnail(driver, "dropped") == 200
    driver.refresh()  # the log is rendered by the server: it now shows the thumbnail request
    assert "tr:w-200,h-200" in driver.find_element(By.ID, "request-log").text

    # 2. The file input the drop zone also offers.
    picked = tmp_path / "picked.png"
    picked.write_bytes(png_bytes(300, 200, (30, 30, 200)))
    driver.find_element(By.ID, "file-input").send_keys(str(picked))
    wait(driver, lambda d: loaded_thumbnail(d, "picked") > 0, "the picked file's thumbnail did not load")
    assert driver.find_element(By.ID, "details-name").text.startswith("picked")
    assert {f.name.split("_")[0] for f in server.client().list_files().list} == {"dropped", "picked"}

    # 3. The transformation box previews what is typed, next to the original.
    wait(driver, lambda d: d.execute_script("return document.getElementById('original').naturalWidth") == 300,
         "the original did not load")
    box = driver.find_element(By.ID, "tr")
    box.clear()
    box.send_keys("w-120,h-80")
    wait(driver, lambda d: "tr:w-120,h-80/" in d.find_element(By.ID, "preview").get_attribute("src"),
         "the preview did not follow the transformation box")
    wait(driver, lambda d: d.execute_script("const i = document.getElementById('preview');"
                                            "return i.complete && i.naturalWidth > 0"), "the preview did not load")
    assert driver.execute_script("const i = document.getElementById('preview');"
                                 "return [i.naturalWidth, i.naturalHeight]") == [120, 80]
    wait(driver, lambda d: "120×80" in d.find_element(By.ID, "preview-info").text, "the size was not shown")
    assert "tr:w-120,h-80/" in driver.find_element(By.ID, "preview-url").text
    assert any("/tr:w-120,h-80/" in p for _, p in server.requests)

    # 4. Search with the query language, across the folder.
    search = driver.find_element(By.ID, "q")
    search.send_keys('name : "picked"')
    search.submit()
    wait(driver, lambda d: "q=" in d.current_url, "the search did not run")
    names = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#grid .name")]
    assert len(names) == 1 and names[0].startswith("picked")
    wait(driver, lambda d: loaded_thumbnail(d, "picked") > 0, "the search result's thumbnail did not load")


def test_file_data_is_shown_as_text(chromium, server):
    """Names, tags and logged paths are attacker-controlled: they show as text and never run."""
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By
    driver = chromium
    evil = "<img src=x onerror=alert(1)>.png"
    client = server.client()
    from imagekitio.models.UploadFileRequestOptions import UploadFileRequestOptions
    uploaded = client.upload_file(png_bytes(20, 20, (0, 0, 0)), evil, options=UploadFileRequestOptions(
        tags=["<script>alert(2)</script>"], use_unique_file_name=False))
    # Whatever the upload made of the name, the page must cope with any name the store holds.
    server.store.files[uploaded.file_id]["name"] = evil
    driver.get(server.base_url + "/_emulator/?file=" + uploaded.file_id)
    wait(driver, lambda d: d.execute_script("return document.readyState") == "complete", "the page did not load")
    assert driver.find_element(By.ID, "details-name").text == evil
    assert evil in [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#grid .name")]
    assert "<script>alert(2)</script>" in driver.find_element(By.ID, "tags").text
    assert driver.execute_script("return document.querySelectorAll('img[src=\"x\"], #tags script').length") == 0
    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.accept()
