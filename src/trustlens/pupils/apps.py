from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "trustlens.pupils"
    label = "pupils"

    def ready(self) -> None:
        """Register the teaching-group lookup the scoping layer uses for teachers' classes."""
        from trustlens.core.scoping import register_class_pupils
        from trustlens.pupils.models import GroupMembership

        def class_pupils(class_ids: frozenset[int]):
            members = GroupMembership.objects.unscoped().filter(group_id__in=class_ids)
            return members.values("pupil_id")

        register_class_pupils(class_pupils)
