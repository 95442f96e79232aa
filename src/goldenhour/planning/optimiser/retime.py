"""After the solve: each vehicle's first trip re-timed for the casualties it actually collects."""

from __future__ import annotations

import dataclasses

from goldenhour.planning.optimiser.options import collect_route, facility_place
from goldenhour.planning.optimiser.problem import Plan, PlanRequest
from goldenhour.planning.optimiser.timing import LegTimer
from goldenhour.planning.policy import Observation
from goldenhour.planning.travel import Place


def retime(plan: Plan, request: PlanRequest, observation: Observation) -> Plan:
    """Return the plan with each vehicle's first trip timed for the casualties it collects.

    An option is timed through every member it offers, and the solver may load only some: a
    neighbourhood's route may then start at a member left out, while the leg straight to the
    first casualty aboard meets a threat window the timed route went round (found by the
    property test). The loads stay as solved; the departure, pickup, arrival and delivery are
    redone for them (a delivery through an exchange point moves with the arrival). Later trips
    are look-ahead, re-planned before they start.
    """
    timer = LegTimer(observation)
    vehicles = {pv.view.id: pv for pv in request.vehicles}
    places = {c.id: c.place for c in request.casualties}
    facilities = {f.id: facility_place(f) for f in observation.facilities}
    sites = facilities | {s.id: Place(position=s.position, site_id=s.id)
                          for s in observation.exchange_points}  # fmt: skip
    trips = []
    for trip in plan.trips:
        pv = vehicles.get(trip.vehicle_id)
        if trip.slot != 1 or pv is None or not trip.pickups or trip.destination not in sites:
            trips.append(trip)
            continue
        v = pv.view
        depart, pickup, last = collect_route(
            timer, v, pv.ready_min, pv.place, [places[c] for c in trip.pickups]
        )
        if not pv.dispatchable:
            depart = max(depart, pv.ready_min)
        _, arrive = timer.leg(v, pickup + v.load_min, last, sites[trip.destination], v.unload_min)
        if trip.destination in facilities:
            delivery = arrive
        else:
            delivery = trip.delivery_min + (arrive - trip.arrive_min)
        trips.append(dataclasses.replace(
            trip, depart_min=depart, pickup_min=pickup, arrive_min=arrive, delivery_min=delivery,
        ))  # fmt: skip
    return dataclasses.replace(plan, trips=tuple(trips))
