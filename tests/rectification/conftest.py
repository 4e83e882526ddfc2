from __future__ import annotations

import pytest

from tests.rectification import factories as rf


@pytest.fixture
def weak_a(township_a):
    return rf.weak_village(township_a, name="软弱村")


@pytest.fixture
def draft(weak_a, cadre_a, leader):
    return rf.draft_plan(weak_a, cadre=cadre_a, leader=leader)


@pytest.fixture
def advised(weak_a, cadre_a, leader, org_department):
    return rf.advised_plan(weak_a, cadre=cadre_a, leader=leader, org=org_department)


@pytest.fixture
def approved(weak_a, cadre_a, leader, org_department):
    return rf.approved_plan(weak_a, cadre=cadre_a, leader=leader, org=org_department)
