package ui

import (
	"net/http"
	"time"
)

// login spends the one-time token of a link from kolo ui, sets the
// session cookie and redirects to the home page, so that the token leaves
// the address bar (and the browser's history holds a spent one).
func (s *Server) login(w http.ResponseWriter, rq *request) error {
	se, ok := s.sessions.login(rq.URL.Query().Get("t"))
	if !ok {
		s.render(w, rq, http.StatusForbidden, "message", Page{Title: T(rq.lang, "ui.login.spent.title"),
			Data: message{Text: T(rq.lang, "ui.login.spent.text")}})
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: se.id, Path: Prefix, HttpOnly: true,
		Secure: rq.TLS != nil, SameSite: http.SameSiteStrictMode, MaxAge: int(SessionLifetime / time.Second)})
	s.log.Info("web interface: logged in")
	return redirect(w, rq, Prefix)
}

// loginNeeded is what a page says to a browser without a session.
func (s *Server) loginNeeded(w http.ResponseWriter, rq *request) error {
	s.render(w, rq, http.StatusUnauthorized, "message", Page{Title: T(rq.lang, "ui.login.needed.title"),
		Data: message{Text: T(rq.lang, "ui.login.needed.text")}})
	return nil
}

// logout ends the session.
func (s *Server) logout(w http.ResponseWriter, rq *request) error {
	s.sessions.logout(rq.sess.id)
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: Prefix, HttpOnly: true,
		Secure: rq.TLS != nil, SameSite: http.SameSiteStrictMode, MaxAge: -1})
	rq.sess = nil
	s.render(w, rq, http.StatusOK, "message", Page{Title: T(rq.lang, "ui.logout"),
		Data: message{Text: T(rq.lang, "ui.logged_out") + " " + T(rq.lang, "ui.login.needed.text")}})
	return nil
}

// chooseLanguage keeps the language chosen in the switcher: in the
// session and, for a year, in the browser's cookie.
func (s *Server) chooseLanguage(w http.ResponseWriter, rq *request) error {
	lang := rq.PostFormValue("lang")
	if !knownLanguage(lang) {
		return badRequest(errUnknownLanguage)
	}
	if rq.sess != nil {
		s.sessions.setLang(rq.sess, lang)
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: Prefix, HttpOnly: true,
		Secure: rq.TLS != nil, SameSite: http.SameSiteStrictMode, MaxAge: 365 * 24 * 3600})
	return redirect(w, rq, safeNext(rq.PostFormValue("next")))
}

// message is the data of a page that only says something.
type message struct {
	Text string
}
