import { Component, type ErrorInfo, type ReactNode } from 'react';

/** Keeps a failing part of the page from blanking the rest: it shows what broke and a way to try again. */
export class PartBoundary extends Component<{ name: string; children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`${this.props.name} failed`, error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="notice error part-failed" role="alert" data-testid="part-failed">
        <span>
          The {this.props.name} could not be shown ({this.state.error.message}). The rest of the page still works.
        </span>
        <button type="button" onClick={() => this.setState({ error: null })}>
          Try again
        </button>
      </div>
    );
  }
}
