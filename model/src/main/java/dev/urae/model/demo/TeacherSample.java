package dev.urae.model.demo;

/** What the teacher returns: the image, its two captions (perhaps wrong), and the true scene. */
public record TeacherSample(DemoImage image, String prompt, String generatedPrompt, SceneDescription truth) {}
