from django.apps import AppConfig


class PupilsConfig(AppConfig):
    name = "trustlens.pupils"
    label = "pupils"

    def ready(self) -> None:
        """Register the pupils' loaders and store snapshots, and the teaching-group lookup the
        scoping layer uses for teachers' own classes (core never imports this app)."""
        from trustlens.core.hooks import attach_record_dataset
        from trustlens.core.scoping import register_class_pupils
        from trustlens.ingest.registry import attach_loader
        from trustlens.pupils import services
        from trustlens.pupils.models import GroupMembership

        def class_pupils(class_ids: frozenset[int]):
            members = GroupMembership.objects.unscoped().filter(group_id__in=class_ids)
            return members.values("pupil_id")

        register_class_pupils(class_pupils)
        attach_record_dataset("pupils", services.load_pupils, services.pupils_frame)
        attach_record_dataset("enrolments", services.load_enrolments, services.enrolments_frame)
        attach_loader("classes", services.load_classes)
        attach_loader("class_members", services.load_class_members)
