import os

from setuptools import find_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))
version = {}
with open(os.path.join(HERE, "imagekitio", "_version.py")) as fh:
    exec(fh.read(), version)
with open(os.path.join(HERE, "README.md"), encoding="utf-8") as fh:
    long_description = fh.read()

setup(
    name="imagekitio",
    version=version["__version__"],
    description="Python SDK for ImageKit.io: URL generation and signing, uploads and the media API",
    long_description=long_description,
    long_description_content_type="text/markdown",
    license="MIT",
    packages=find_packages(exclude=("tests", "tests.*", "bench", "examples")),
    python_requires=">=3.8",
    install_requires=["requests>=2.20,<3", "requests-toolbelt>=0.9,<2"],
    extras_require={"test": ["pytest>=7", "responses>=0.25", "requests-mock>=1.9"]},
    classifiers=[
        "Programming Language :: Python :: 3",
        "Operating System :: OS Independent",
    ],
)
