from django.urls import path

from .views import actions, guide, needs, plan, progress, reality

P = "c/<slug:slug>/"

urlpatterns = [
    # the guided path and the community's intention
    path(f"{P}adapting/", guide.adapting, name="workplan-adapting"),
    path(f"{P}outcomes/", guide.outcomes, name="workplan-outcomes"),
    # the community profile (step 1), and sharing with the public
    path(f"{P}reality/", reality.reality_list, name="workplan-reality"),
    path(f"{P}reality/new/", reality.reality_create, name="workplan-reality-create"),
    path(f"{P}reality/<int:pk>/edit/", reality.reality_edit, name="workplan-reality-edit"),
    path(f"{P}publish/", reality.publish, name="workplan-publish"),
    # needs and priorities
    path(f"{P}needs/", needs.need_list, name="workplan-needs"),
    path(f"{P}needs/new/", needs.need_create, name="workplan-need-create"),
    path(f"{P}needs/<int:pk>/", needs.need_detail, name="workplan-need-detail"),
    path(f"{P}needs/<int:pk>/edit/", needs.need_edit, name="workplan-need-edit"),
    path(f"{P}needs/<int:pk>/status/", needs.need_status, name="workplan-need-status"),
    path(f"{P}priorities/", needs.priorities, name="workplan-priorities"),
    path(f"{P}priorities/open/", needs.priorities_open, name="workplan-priorities-open"),
    path(f"{P}priorities/<int:pk>/", needs.priority_round, name="workplan-priority-round"),
    path(
        f"{P}priorities/<int:pk>/close/", needs.priorities_close, name="workplan-priorities-close"
    ),
    path(
        f"{P}priorities/<int:pk>/needs/<int:need_pk>/dots/",
        needs.dots,
        name="workplan-dots",
    ),
    # the work plan
    path(f"{P}workplan/", plan.workplan, name="workplan"),
    path(f"{P}workplan/approve/", plan.approve, name="workplan-approve"),
    path(f"{P}workplan/areas/new/", plan.area_create, name="workplan-area-create"),
    path(f"{P}workplan/areas/<int:pk>/edit/", plan.area_edit, name="workplan-area-edit"),
    path(f"{P}workplan/areas/<int:pk>/move/", plan.area_move, name="workplan-area-move"),
    path(f"{P}workplan/areas/<int:pk>/propose/", plan.area_propose, name="workplan-area-propose"),
    path(f"{P}workplan/areas/<int:pk>/agree/", plan.area_agree, name="workplan-area-agree"),
    path(
        f"{P}workplan/areas/<int:pk>/objectives/",
        plan.objective_create,
        name="workplan-objective-create",
    ),
    path(
        f"{P}workplan/objectives/<int:pk>/edit/",
        plan.objective_edit,
        name="workplan-objective-edit",
    ),
    path(
        f"{P}workplan/objectives/<int:pk>/move/",
        plan.objective_move,
        name="workplan-objective-move",
    ),
    path(
        f"{P}workplan/objectives/<int:pk>/actions/new/",
        actions.action_create,
        name="workplan-action-create",
    ),
    path(f"{P}workplan/actions/<int:pk>/", actions.action_detail, name="workplan-action"),
    path(f"{P}workplan/actions/<int:pk>/edit/", actions.action_edit, name="workplan-action-edit"),
    path(f"{P}workplan/actions/<int:pk>/move/", actions.action_move, name="workplan-action-move"),
    path(
        f"{P}workplan/actions/<int:pk>/status/",
        actions.action_status,
        name="workplan-action-status",
    ),
    path(
        f"{P}workplan/actions/<int:pk>/progress/",
        actions.action_progress,
        name="workplan-action-progress",
    ),
    path(
        f"{P}workplan/actions/<int:pk>/updates/",
        actions.update_create,
        name="workplan-action-update",
    ),
    path(
        f"{P}workplan/actions/<int:pk>/indicators/",
        actions.indicator_create,
        name="workplan-action-indicator",
    ),
    # pictures and exports
    path(f"{P}workplan/progress/", progress.progress, name="workplan-progress"),
    path(f"{P}workplan/export.csv", progress.export_csv, name="workplan-export"),
    path(f"{P}workplan/print/", progress.print_view, name="workplan-print"),
]
