import Foundation

/// The two workflows the service runs, loaded and validated together at start-up.
public struct Workflows: Hashable, Sendable {
    /// The gemeente workflow (`gemeente.yaml`).
    public let gemeente: WorkflowDefinition
    /// The supplier service workflow (`leverancier.yaml`).
    public let leverancier: WorkflowDefinition

    /// The workflow of `subject`.
    public subscript(subject: WorkflowSubject) -> WorkflowDefinition {
        switch subject {
        case .gemeente: gemeente
        case .leverancier: leverancier
        }
    }

    /// Loads `gemeente.yaml` and `leverancier.yaml` from `folder` (the project's `Workflows/`).
    ///
    /// Throws `WorkflowDefinition.Invalid` with the problems of both files, including a file
    /// that declares the other subject.
    public static func load(from folder: URL) throws(WorkflowDefinition.Invalid) -> Workflows {
        var problems: [WorkflowDefinition.Problem] = []
        var loaded: [WorkflowSubject: WorkflowDefinition] = [:]
        for subject in WorkflowSubject.allCases {
            do {
                let definition = try WorkflowDefinition(contentsOf: folder.appendingPathComponent(subject.fileName))
                if definition.subject == subject {
                    loaded[subject] = definition
                } else {
                    problems.append(
                        .init(
                            file: definition.file, line: 1,
                            reason: "declares subject \(definition.subject), but \(subject.fileName) must define the \(subject) workflow"))
                }
            } catch {
                problems += error.problems
            }
        }
        guard problems.isEmpty, let gemeente = loaded[.gemeente], let leverancier = loaded[.leverancier] else {
            throw WorkflowDefinition.Invalid(problems: problems)
        }
        return Workflows(gemeente: gemeente, leverancier: leverancier)
    }
}
