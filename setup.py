"""Lists the packages of the `jixiao` distribution (see pyproject.toml).

The package `jixiao` is the folder `services/`; every folder with an
`__init__.py` below it is a subpackage, found here so that nobody has to
keep a list by hand.
"""
from setuptools import find_packages, setup

setup(packages=["jixiao", "jixiao.v1", *(f"jixiao.{name}" for name in find_packages("services"))])
