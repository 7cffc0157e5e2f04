from django.apps import AppConfig


class ToolsConfig(AppConfig):
    """Registers the tools' management command (synth_corpus); the app has no models, URLs or templates."""

    name = "tools"
    verbose_name = "Benchmark and load-test tools"
