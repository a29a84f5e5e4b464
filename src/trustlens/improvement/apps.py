from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "trustlens.improvement"
    label = "improvement"

    def ready(self) -> None:
        """Provide the board pack's stages and support sections (``core.hooks``)."""
        from trustlens.core.hooks import register_board_section
        from trustlens.improvement.board import stages_section, support_section

        register_board_section("stages", "Improvement stages", stages_section, order=30)
        register_board_section("support", "Support", support_section, order=40)
