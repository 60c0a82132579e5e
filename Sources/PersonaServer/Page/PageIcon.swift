/// The page's icon, so browsers do not ask for a missing `/favicon.ico`.
enum PageIcon {
    static let text = #"""
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#3a5bd9"/><path d="M8 10h16v10H14l-6 5z" fill="#fff"/></svg>
        """#
}
