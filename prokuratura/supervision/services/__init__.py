"""Every write of the supervision module (the lifecycle's declared step services are imported from here)."""

from .acts import (
    ActData,
    Outcome,
    act_draft,
    act_issue,
    act_record_court_decision,
    act_record_reply,
    act_record_result,
    act_update,
    act_withdraw,
)
from .catalogue import act_template_save, act_type_update, facility_save
from .inspections import (
    InspectionData,
    inspection_cancel,
    inspection_close,
    inspection_complete,
    inspection_create,
    inspection_extend,
    inspection_implement,
    inspection_order,
    inspection_start,
    inspection_update,
)
from .violations import ViolationData, violation_record, violation_update
from .visits import VisitData, visit_record, visit_update

__all__ = [
    "ActData",
    "InspectionData",
    "Outcome",
    "ViolationData",
    "VisitData",
    "act_draft",
    "act_issue",
    "act_record_court_decision",
    "act_record_reply",
    "act_record_result",
    "act_template_save",
    "act_type_update",
    "act_update",
    "act_withdraw",
    "facility_save",
    "inspection_cancel",
    "inspection_close",
    "inspection_complete",
    "inspection_create",
    "inspection_extend",
    "inspection_implement",
    "inspection_order",
    "inspection_start",
    "inspection_update",
    "violation_record",
    "violation_update",
    "visit_record",
    "visit_update",
]
