"""Files by path or URL (issue 20 item 1): ``find_file`` and the ``*_by_path`` methods, against the emulator."""
import pytest

from imagekitio import ImageKit
from imagekitio.bypath import ik_safe_name, name_query, path_of
from imagekitio.exceptions import NotFoundException
from imagekitio.testing.decoding import Blob


def put(server, path, data=b"x"):
    """Store a file at exactly ``path`` straight into the emulator (no upload request, so the request log stays
    clean). Names ImageKit renames on upload (spaces, quotes) are kept, as for files another tool stored."""
    folder, _, name = path.rpartition("/")
    stored = server.store.upload({"file": Blob(data=data), "fileName": name, "folder": folder or "/",
                                  "useUniqueFileName": "false", "_file_is_binary": True})
    server.store.files[stored["fileId"]].update(name=name, filePath=path)


def searches(server):
    return [entry for entry in server.requests if entry[0] == "GET" and entry[1].endswith("/files")]


def test_exact_path_among_similar_names(imagekit, local_imagekit):
    for path in ("/pics/a.jpg.jpg", "/pics/xa.jpg", "/pics/A.JPG", "/pics/sub/a.jpg", "/a.jpg", "/pics/a.jpg"):
        put(local_imagekit, path, path.encode())
    found = imagekit.find_file("/pics/a.jpg")
    assert found is not None and found.file_path == "/pics/a.jpg"
    assert imagekit.find_file("pics/a.jpg").file_id == found.file_id  # the leading "/" may be left out
    assert imagekit.find_file("/a.jpg").file_path == "/a.jpg"
    assert imagekit.find_file("/pics/sub/a.jpg").file_path == "/pics/sub/a.jpg"
    assert imagekit.find_file("/pics/a.jp") is None
    assert imagekit.find_file("/pics/b.jpg") is None
    assert imagekit.find_file("/other/a.jpg") is None


def test_one_request_for_a_3000_file_folder(imagekit, local_imagekit):
    for number in range(3000):
        put(local_imagekit, f"/big/f{number:04}.jpg")
    local_imagekit.requests.clear()
    assert imagekit.find_file("/big/f2999.jpg").file_path == "/big/f2999.jpg"
    assert imagekit.find_file("/big/missing.jpg") is None
    assert len(local_imagekit.requests) == 2 and len(searches(local_imagekit)) == 2


def test_names_with_quotes_are_listed_not_queried(imagekit, local_imagekit):
    put(local_imagekit, '/q/it\'s "quoted".jpg')
    put(local_imagekit, "/q/b.jpg")
    assert name_query('it\'s "quoted".jpg') is None and name_query("back\\slash") is None
    local_imagekit.requests.clear()
    assert imagekit.find_file('/q/it\'s "quoted".jpg').file_path == '/q/it\'s "quoted".jpg'
    assert len(searches(local_imagekit)) == 1  # one page of the (small) folder


@pytest.mark.parametrize("attack", ['/q/a" OR name = "b.jpg', '/q/x") OR (name = "b.jpg',
                                    "/q/a' OR name = 'b.jpg", '/q/a\\" OR name = \\"b.jpg', "/q/b.jpg\nOR"])
def test_a_name_cannot_inject_into_the_query(imagekit, local_imagekit, attack):
    put(local_imagekit, "/q/b.jpg")
    put(local_imagekit, "/q/a.jpg")
    assert name_query(attack.rsplit("/", 1)[1]) is None  # never put into a query
    assert imagekit.find_file(attack) is None


def test_a_quotable_name_is_searched_as_one_string(imagekit, local_imagekit):
    put(local_imagekit, "/q/b.jpg")
    assert name_query("x OR name = b.jpg") == 'name = "x OR name = b.jpg"'
    assert imagekit.find_file("/q/x OR name = b.jpg") is None
    assert imagekit.find_file("/q/b.jpg OR type = file") is None


def test_unicode_names(imagekit, local_imagekit):
    put(local_imagekit, "/übung/हिन्दी.png", b"hindi")
    put(local_imagekit, "/übung/हिन्दी.png.png")
    found = imagekit.find_file("/übung/हिन्दी.png")
    assert found.file_path == "/übung/हिन्दी.png"
    assert imagekit.find_file(imagekit.url({"path": "/übung/हिन्दी.png"})).file_id == found.file_id
    encoded = local_imagekit.url_endpoint + "/%C3%BCbung/%E0%A4%B9%E0%A4%BF%E0%A4%A8%E0%A5%8D%E0%A4%A6%E0%A5%80.png"
    assert imagekit.find_file(encoded).file_id == found.file_id


def test_urls_with_and_without_transformations(imagekit, local_imagekit):
    put(local_imagekit, "/shop/red dress.jpg")
    wanted = imagekit.find_file("/shop/red dress.jpg").file_id
    endpoint = local_imagekit.url_endpoint
    for url in (imagekit.url({"path": "/shop/red dress.jpg"}),
                imagekit.url({"path": "/shop/red dress.jpg", "transformation": [{"width": 300}, {"rotation": 90}]}),
                imagekit.url({"path": "/shop/red dress.jpg", "transformation": [{"width": 300}],
                              "transformation_position": "query"}),
                imagekit.url({"path": "/shop/red dress.jpg", "signed": True, "expire_seconds": 60}),
                endpoint + "/tr:w-100:h-20/shop/red%20dress.jpg?ik-sdk=x#frag",
                endpoint.upper().replace("/LOCAL", "/local") + "/shop/red%20dress.jpg"):
        assert imagekit.find_file(url).file_id == wanted, url


@pytest.mark.parametrize("url", ["https://ik.imagekit.io/someone-else/shop/a.jpg",
                                 "http://127.0.0.1:1/local/a.jpg",
                                 "https://evil.example/local/a.jpg"])
def test_urls_on_other_endpoints_are_refused(imagekit, url):
    with pytest.raises(ValueError):
        imagekit.find_file(url)


def test_a_url_on_the_same_host_outside_the_endpoint_is_refused(imagekit, local_imagekit):
    host = local_imagekit.url_endpoint.rsplit("/", 1)[0]
    with pytest.raises(ValueError):
        imagekit.find_file(host + "/localother/a.jpg")
    with pytest.raises(ValueError):
        imagekit.find_file(local_imagekit.url_endpoint.replace("://", "://user@evil.example#") + "/a.jpg")


def test_bad_arguments(imagekit):
    with pytest.raises(TypeError):
        imagekit.find_file(None)
    with pytest.raises(ValueError):
        imagekit.find_file("/folder/")
    with pytest.raises(ValueError):
        imagekit.find_file("")


def test_path_of_maps_urls_without_a_request():
    client = ImageKit("p", "k", "https://ik.imagekit.io/demo/")
    assert path_of(client, "https://ik.imagekit.io/demo/tr:w-1/a/b%2Fc.jpg?tr=h-2") == "/a/b/c.jpg"
    assert path_of(client, "https://ik.imagekit.io/demo/a.jpg") == "/a.jpg"
    with pytest.raises(ValueError):
        path_of(client, "https://ik.imagekit.io/demonstration/a.jpg")


def test_details_update_and_delete_by_path(imagekit, local_imagekit):
    put(local_imagekit, "/docs/a.pdf")
    put(local_imagekit, "/docs/a.pdf.pdf")
    details = imagekit.get_file_details_by_path("/docs/a.pdf")
    assert details.file_path == "/docs/a.pdf" and details.response_metadata.http_status_code == 200
    updated = imagekit.update_file_details_by_path(local_imagekit.url_endpoint + "/tr:w-10/docs/a.pdf",
                                                   {"tags": ["kept"]})
    assert updated.tags == ["kept"] and local_imagekit.store.by_path("/docs/a.pdf")["tags"] == ["kept"]
    imagekit.delete_file_by_path("/docs/a.pdf")
    assert local_imagekit.store.by_path("/docs/a.pdf") is None
    assert local_imagekit.store.by_path("/docs/a.pdf.pdf") is not None
    for call in (imagekit.get_file_details_by_path, imagekit.delete_file_by_path,
                 lambda path: imagekit.update_file_details_by_path(path, {"tags": ["x"]})):
        with pytest.raises(NotFoundException) as raised:
            call("/docs/a.pdf")
        assert "/docs/a.pdf" in str(raised.value)


def test_ik_safe_name_follows_imagekits_rule():
    assert ik_safe_name("my photo (1)#?.jpg") == "my_photo__1___.jpg"
    assert ik_safe_name("a-b_c.D9.png") == "a-b_c.D9.png"
    assert ik_safe_name("हिन्दी café.png") == "हिन्दी_café.png"
    assert ik_safe_name('a"b\'c/d\\e') == "a_b_c_d_e"
