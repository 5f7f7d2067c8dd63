"""Real public code written against ImageKit's 5.x SDK, run side by side on this package (issue 18).

Each block between ``# ---- copied from`` and ``# ---- end of copy`` is the project's code, verbatim, with
its repository and path (public GitHub code, quoted for testing only). It builds its client as the
project does (from environment variables); the ``project_env`` fixture sets those variables for the
emulator, and ``IMAGE_KIT_BASE_URL`` (which 5.x reads) sends the client there. That is the only
redirection. Imports of frameworks this test environment lacks (``dotenv``, ``fastapi``) are replaced by
the smallest stand-in that keeps the copied code's behaviour, and said so where it happens.

The tests then assert what the project relies on: the dictionaries and fields it reads, and that the media
library really holds (or no longer holds) the files.
"""
import asyncio
import base64
import functools
import io
import os
import types
from pathlib import Path
from typing import Any, Callable, Iterator, List

import pytest
import requests

from imagekitio import ImageKit
from imagekitio.types import File

PIL = pytest.importorskip("PIL.Image")


def photo(width: int = 40, height: int = 30) -> bytes:
    out = io.BytesIO()
    PIL.new("RGB", (width, height), (10, 120, 200)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def project_env(local_imagekit: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Any]:
    """The ``.env`` these projects expect, pointing at the emulator."""
    monkeypatch.setenv("IMAGEKIT_PRIVATE_KEY", local_imagekit.private_key)
    monkeypatch.setenv("IMAGEKIT_PUBLIC_KEY", local_imagekit.public_key)
    monkeypatch.setenv("IMAGEKIT_URL_ENDPOINT", local_imagekit.url_endpoint)
    monkeypatch.setenv("IMAGE_KIT_BASE_URL", local_imagekit.base_url)
    monkeypatch.chdir(tmp_path)
    yield local_imagekit


@pytest.fixture
def check(project_env: Any) -> Iterator[ImageKit]:
    """A separate client for the assertions only."""
    with project_env.client(max_retries=0) as client:
        yield client


def only_files(check: ImageKit) -> List[File]:
    return [item for item in check.assets.list(type="file") if isinstance(item, File)]


# ================================================================================================
# KarthikEdhala/youtube-clone-django, youtube/videos/imagekit_client.py (a Django "YouTube clone":
# video and thumbnail uploads, delivery URLs, deletes)
# ================================================================================================
def youtube_clone_module() -> types.SimpleNamespace:
    # ---- copied from KarthikEdhala/youtube-clone-django: youtube/videos/imagekit_client.py
    import os
    from imagekitio import ImageKit

    def get_imagekit_client():
        return ImageKit(
            private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY")
        )

    def _get_watermark_transformation(username: str):
        return (
            "l-text,",
            f"i-{username},",
            "lfo-bottom_left,",
            "lx-10,ly-10,",
            "fs-32,",
            "co-FFFFFF,",
            "bg-00000060,",
            "pa-4_8,",
            "l-end"
        )

    def get_optimized_video_url(base_url:str)->str:
        if '?' in base_url:
            return f"{base_url}&tr=q-50,f-auto"
        return f"{base_url}?tr=q-50,f-auto"

    def get_streaming_url(base_url:str)->str:
        return f"{base_url}/ik-master.m3u8?tr=sr-240_360_480_720_1080"

    def get_thumbnail_url(
            base_url: str, username: str = None
    ) -> str:
        transformations = "".join(_get_watermark_transformation(username))

        return f"{base_url}/ik-thumbnail.jpg?tr={transformations}"

    def add_image_watermark(
            base_url: str, username: str = None
    ) -> str:
        transformations = "".join(_get_watermark_transformation(username))

        return f"{base_url}?tr={transformations}"

    def upload_video(file_data:bytes,file_name:str,folder:str="videos")->dict:
        public_key=os.environ.get("IMAGEKIT_PUBLIC_KEY")

        client=get_imagekit_client()


        response=client.files.upload(
            file=file_data,
            file_name=file_name,
            folder=folder,
            public_key=public_key,
        )

        return {
            "file_id":response.file_id,
            "url":response.url,
        }

    def upload_thumbnail(file_data:bytes,file_name:str,folder:str="thumbnails")->dict:
        import base64
        public_key=os.environ.get("IMAGEKIT_PUBLIC_KEY")

        client=get_imagekit_client()

        if file_data.startswith("data:"):
            base64_data=file_data.split(",",1)[1]
            image_bytes=base64.b64decode(base64_data)
        else:
            image_bytes=base64.b64encode(file_data)

        response=client.files.upload(
            file=image_bytes,
            file_name=file_name,
            folder=folder,
            public_key=public_key,
        )

        return {
            "file_id":response.file_id,
            "url":response.url,
        }

    def delete_video(file_id:str)->bool:
        client=get_imagekit_client()
        client.files.delete(file_id)
        return True
    # ---- end of copy
    return types.SimpleNamespace(**{name: value for name, value in locals().items() if callable(value)})


def test_youtube_clone_upload_video_thumbnail_and_delete(project_env: Any, check: ImageKit) -> None:
    app = youtube_clone_module()
    video_bytes = b"\x00\x00\x00\x18ftypmp42" + bytes(200)  # what Django hands over: the uploaded file's bytes
    video = app.upload_video(video_bytes, "my-first-video.mp4")
    assert set(video) == {"file_id", "url"} and all(isinstance(v, str) and v for v in video.values())
    stored = check.files.get(video["file_id"])
    assert stored.file_path.startswith("/videos/my-first-video") and stored.size == len(video_bytes)
    assert requests.get(video["url"], timeout=10).content == video_bytes

    # The browser sends the thumbnail it grabbed from a <canvas> as a data URL.
    data_url = "data:image/jpeg;base64," + base64.b64encode(photo()).decode()
    thumb = app.upload_thumbnail(data_url, "my-first-video.jpg")
    stored_thumb = check.files.get(thumb["file_id"])
    assert stored_thumb.file_path.startswith("/thumbnails/") and (stored_thumb.width, stored_thumb.height) == (40, 30)

    # The delivery URLs the templates render are built from the stored URL.
    assert app.get_optimized_video_url(video["url"]) == video["url"] + "?tr=q-50,f-auto"
    assert app.get_streaming_url(video["url"]).endswith("/ik-master.m3u8?tr=sr-240_360_480_720_1080")
    assert app.add_image_watermark(thumb["url"], "alice").endswith("?tr=l-text,i-alice,lfo-bottom_left,"
                                                                    "lx-10,ly-10,fs-32,co-FFFFFF,bg-00000060,"
                                                                    "pa-4_8,l-end")

    assert app.delete_video(video["file_id"]) is True
    assert [f.file_id for f in only_files(check)] == [thumb["file_id"]]


# ================================================================================================
# Nareshtt/ytproject, videos/imagekit_client.py: the same app built with the 4.x constructor
# (public key, private key, URL endpoint) and 5.x calls, on one client
# ================================================================================================
def ytproject_module() -> types.SimpleNamespace:
    # ---- copied from Nareshtt/ytproject: videos/imagekit_client.py (the upload and delete functions)
    import os
    from imagekitio import ImageKit


    def get_imagekit_client():
        return ImageKit(
            public_key=os.environ.get("IMAGEKIT_PUBLIC_KEY"),
            private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY"),
            url_endpoint=os.environ.get("IMAGEKIT_URL_ENDPOINT", "")
        )


    def upload_video(file_data: bytes, file_name: str, folder: str = "videos") -> dict:
        client = get_imagekit_client()

        response = client.files.upload(
            file=file_data,
            file_name=file_name,
            folder=folder
        )

        return {
            "file_id": response.file_id,
            "url": response.url
        }


    def upload_thumbnail(file_data: bytes, file_name: str, folder: str = "thumbnails") -> dict:
        import base64

        if isinstance(file_data, str) and file_data.startswith("data:"):
            base64_data = file_data.split(",", 1)[1]
            image_bytes = base64.b64decode(base64_data)
        else:
            image_bytes = base64.b64decode(file_data)

        client = get_imagekit_client()

        response = client.files.upload(
            file=image_bytes,
            file_name=file_name,
            folder=folder
        )

        return {
            "file_id": response.file_id,
            "url": response.url
        }


    def delete_video(file_id: str) -> bool:
        client = get_imagekit_client()
        client.files.delete(file_id=file_id)
        return True
    # ---- end of copy
    return types.SimpleNamespace(**{name: value for name, value in locals().items() if callable(value)})


def test_ytproject_4x_constructor_with_5x_calls(project_env: Any, check: ImageKit) -> None:
    app = ytproject_module()
    client = app.get_imagekit_client()
    assert client.url({"path": "/x.jpg"}) == project_env.url_endpoint + "/x.jpg"  # its 4.x side works too
    client.close()
    video = app.upload_video(b"RIFF....AVI LIST" + bytes(64), "clip.avi", folder="/clips")
    assert check.files.get(video["file_id"]).file_path.startswith("/clips/clip")
    thumb = app.upload_thumbnail(base64.b64encode(photo()), "clip.jpg")  # raw base64 bytes, no data: prefix
    assert check.files.get(thumb["file_id"]).width == 40
    assert app.delete_video(video["file_id"]) is True
    assert [f.file_id for f in only_files(check)] == [thumb["file_id"]]


# ================================================================================================
# Sanabanuri/FastAPI-Media-App, app/images.py and the /upload endpoint of app/app.py (a FastAPI feed:
# the upload runs in a worker thread, the post stores the URL and name ImageKit answers with)
# ================================================================================================
class HTTPException(Exception):  # noqa: N818 - FastAPI's name
    """Stand-in for ``fastapi.HTTPException`` (same constructor)."""

    def __init__(self, status_code: int, detail: Any = None) -> None:
        super().__init__(detail)
        self.status_code, self.detail = status_code, detail


async def run_in_threadpool(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Stand-in for ``fastapi.concurrency.run_in_threadpool``: the call runs in a worker thread."""
    return await asyncio.get_running_loop().run_in_executor(None, functools.partial(func, *args, **kwargs))


class Post:
    """Stand-in for the project's SQLAlchemy ``Post`` model: keeps the columns it is given."""

    def __init__(self, **columns: Any) -> None:
        self.__dict__.update(columns)


class Session:
    """Stand-in for the ``AsyncSession`` dependency: records what the endpoint adds."""

    def __init__(self) -> None:
        self.added: List[Any] = []

    def add(self, row: Any) -> None:
        self.added.append(row)

    async def commit(self) -> None:
        pass

    async def refresh(self, row: Any) -> None:
        pass


def media_app_module() -> types.SimpleNamespace:
    def load_dotenv() -> None:  # python-dotenv is not installed here; the env is already set
        pass

    # ---- copied from Sanabanuri/FastAPI-Media-App: app/images.py
    from imagekitio import ImageKit

    import os

    load_dotenv()
    imagekit = ImageKit(
        private_key=os.getenv("IMAGEKIT_PRIVATE_KEY"),

    )
    # ---- end of copy

    import shutil
    import tempfile

    # ---- copied from Sanabanuri/FastAPI-Media-App: app/app.py, the body of the POST /upload endpoint
    # (its FastAPI parameters `File(...)`, `Form("")`, `Depends(...)` are passed in by the test instead)
    async def upload_file(file, caption, user, session):

        temp_file_path = None
        try:
            with tempfile.NamedTemporaryFile(delete=False, suffix=os.path.splitext(file.filename)[1]) as temp_file:
                temp_file_path = temp_file.name
                shutil.copyfileobj(file.file, temp_file)
            #upload_result = imagekit.upload_file
            with open(temp_file_path, "rb") as f:
                upload_result = await run_in_threadpool(
                    imagekit.files.upload,
                    file=f,
                    file_name=file.filename,
                    use_unique_file_name=True,
                    tags=["backend-upload"]
                )

            print(upload_result.__dict__)

            if upload_result and upload_result.url:
                post = Post(
                    user_id=user.id,
                    caption=caption,
                    url=upload_result.url,
                    file_type="video" if file.content_type.startswith("video/") else "image",
                    file_name=upload_result.name
                )
                session.add(post)
                await session.commit()
                await session.refresh(post)
                return post

        except Exception as e:
            raise HTTPException(status_code=500, detail=str(e))  # noqa: B904 - as the project wrote it
        finally:
            if temp_file_path and os.path.exists(temp_file_path):
                os.unlink(temp_file_path)
            file.file.close()
    # ---- end of copy
    return types.SimpleNamespace(imagekit=imagekit, upload_file=upload_file)


def test_fastapi_media_app_upload_endpoint(project_env: Any, check: ImageKit,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    app = media_app_module()
    upload = types.SimpleNamespace(filename="holiday.jpg", file=io.BytesIO(photo()), content_type="image/jpeg")
    user, session = types.SimpleNamespace(id="user-1"), Session()
    post = asyncio.run(app.upload_file(upload, "At the beach", user, session))
    app.imagekit.close()
    assert session.added == [post] and post.caption == "At the beach" and post.file_type == "image"
    assert post.file_name.startswith("holiday") and post.file_name.endswith(".jpg")
    stored = [f for f in only_files(check) if f.url == post.url]
    assert len(stored) == 1 and stored[0].tags == ["backend-upload"] and stored[0].name == post.file_name
    assert "holiday" in capsys.readouterr().out  # the endpoint's debug print of the response's fields
    assert upload.file.closed


def test_fastapi_media_app_reports_imagekit_failures_as_500(project_env: Any, monkeypatch: pytest.MonkeyPatch,
                                                           tmp_path: Path) -> None:
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # so the test can see the endpoint clean up
    app = media_app_module()
    project_env.inject("POST", "/api/v1/files/upload", status=500)
    upload = types.SimpleNamespace(filename="x.jpg", file=io.BytesIO(photo()), content_type="image/jpeg")
    with pytest.raises(HTTPException) as failed:
        asyncio.run(app.upload_file(upload, "", types.SimpleNamespace(id="u"), Session()))
    app.imagekit.close()
    assert failed.value.status_code == 500 and "500" in failed.value.detail
    assert os.listdir(tmp_path) == []  # the endpoint removed its temporary file
